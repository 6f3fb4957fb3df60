package org.unicon.launcher.linux.internal;

import java.nio.file.Path;

/** The linux launcher's contract (the launcher conformance suite included) with runc. */
class RuncLauncherTest extends LinuxLauncherContract {

    @Override
    RuntimeCli runtime(Path state) {
        return RuntimeChoice.runc("", state);
    }
}
