package org.unicon.launcher.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.unicon.model.CommandInfo;

/**
 * Prints (does not assert) the median create → start → exit of {@code true} in busybox through
 * the launcher against {@code <runtime> run} of the same config.json, both spawned from this JVM.
 * Only the exit statuses are asserted. The launcher's destroy is not in the measured time.
 */
class LaunchLatencyTest extends LinuxFixture {

    private static final int RUNS = 20;

    private String mode = "runc";

    @Override
    RuntimeCli runtime(Path state) throws Exception {
        if (mode.equals("runc")) {
            return RuntimeChoice.runc("", state);
        }
        Optional<Path> crun = RuntimeChoice.binary("crun", "");
        assumeTrue(crun.isPresent(), "crun is not installed");
        Optional<RuntimeCli> works = RuntimeChoice.crun(crun.get(), state);
        assumeTrue(works.isPresent(), "crun cannot run containers on this host");
        return works.get();
    }

    /**
     * `runc run`, the peer measured here, removes its container's cgroup but never the parents it
     * created: remove them (while empty) before the fixture checks that nothing is left.
     */
    @org.junit.jupiter.api.AfterEach
    void removeWhatThePeerRunsLeft() throws Exception {
        for (java.nio.file.Path dir : CgroupDirectories.existing("/" + CGROUPS_ROOT)) {
            try {
                java.nio.file.Files.deleteIfExists(dir);
            } catch (java.io.IOException e) {
                // not empty: a container of the launcher is still there, which the fixture reports
            }
        }
    }

    @Test
    void runc() throws Exception {
        measure();
    }

    @Test
    void crun() throws Exception {
        mode = "crun";
        launcher.close();
        runtime = runtime(tmp.resolve("run/launcher-linux"));
        launcher = newLauncherInstance();
        measure();
    }

    private void measure() throws Exception {
        CommandInfo trueCommand = CommandInfo.newBuilder().setShell(false).setValue("/bin/true")
                .addArguments("true").build();
        Path bench = Files.createDirectories(tmp.resolve("bench-bundle"));
        List<Double> viaLauncher = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        for (int i = 0; i < RUNS + 3; i++) { // interleaved, so that drift on the host hits both alike
            String id = newId("bench");
            Request request = request(id, info(id, trueCommand).build());
            long t0 = System.nanoTime();
            launcher.create(request);
            launcher.start(request.containerId());
            int status = awaitExit(request.containerId());
            long t1 = System.nanoTime();
            assertEquals(0, status);
            if (i == 0) {
                Files.copy(request.directory().resolve("bundle/config.json"), bench.resolve("config.json"));
            }
            launcher.destroy(request.containerId());

            String runId = newId("bench-run");
            List<String> argv = new ArrayList<>(runtime.prefix());
            argv.addAll(List.of("run", "--bundle", bench.toString(), runId));
            ProcessBuilder b = new ProcessBuilder(argv).redirectInput(Redirect.from(new File("/dev/null")))
                    .redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD);
            long t2 = System.nanoTime();
            int runStatus = b.start().waitFor();
            long t3 = System.nanoTime();
            assertEquals(0, runStatus, runtime.name() + " run failed");
            if (i >= 3) { // warm-up runs are not counted
                viaLauncher.add((t1 - t0) / 1e6);
                direct.add((t3 - t2) / 1e6);
            }
        }
        System.out.printf("LAUNCH LATENCY (%s, %s, %d runs): launcher create->start->exit median %.1f ms"
                + " (min %.1f); '%s run' median %.1f ms (min %.1f)%n", runtime.name(), runtime.executable(), RUNS,
                median(viaLauncher), Collections.min(viaLauncher), runtime.name(), median(direct),
                Collections.min(direct));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
