package org.unicon.launcher.linux.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The linux launcher's contract (the launcher conformance suite included) with crun, as the runtime choice makes it work on this host (plainly, or
 * through the hybrid-cgroup wrapper); skipped where crun is missing or cannot run containers.
 */
class CrunLauncherTest extends LinuxLauncherContract {

    @Override
    RuntimeCli runtime(Path state) throws Exception {
        Optional<Path> crun = RuntimeChoice.binary("crun", "");
        assumeTrue(crun.isPresent(), "crun is not installed");
        Optional<RuntimeCli> works = RuntimeChoice.crun(crun.get(), state);
        assumeTrue(works.isPresent(), "crun cannot run containers on this host");
        return works.get();
    }
}
