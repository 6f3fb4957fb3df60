package org.unicon.isolator.cgroups.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.unicon.model.ContainerConfig;
import org.unicon.model.Resource;
import org.unicon.model.Value;

/**
 * What the real-kernel tests share: a cgroups root of their own (never a real container's), a
 * check that nothing is left under it in any hierarchy, and container processes that wait on
 * stdin until they have been placed in their cgroups.
 */
final class TestCgroups {
    static final String ROOT = "unicon-test-cg";

    private TestCgroups() {
    }

    static CgroupHierarchies hierarchies() throws IOException {
        return CgroupHierarchies.detect();
    }

    /** Every mounted hierarchy (v1 and v2), whether or not the isolators use it. */
    static List<Path> allHierarchies() throws IOException {
        List<Path> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash > 0 && (f[dash + 1].equals("cgroup") || f[dash + 1].equals("cgroup2")) && f[3].equals("/")) {
                mounts.add(Path.of(f[4]));
            }
        }
        return mounts;
    }

    /**
     * Fails if {@link #ROOT} exists in any hierarchy, after killing what is in it and removing it,
     * so that one failing test does not leave the host dirty for the next.
     */
    static void assertNothingLeft() throws Exception {
        List<Path> left = new ArrayList<>();
        for (Path hierarchy : allHierarchies()) {
            Path root = hierarchy.resolve(ROOT);
            if (Files.isDirectory(root)) {
                left.add(root);
                forceRemove(root);
            }
        }
        assertEquals(List.of(), left, "cgroups of the tests were left behind");
    }

    private static void forceRemove(Path root) throws Exception {
        List<Path> dirs;
        try (Stream<Path> walk = Files.walk(root)) {
            dirs = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
        }
        for (Path dir : dirs) {
            killAll(dir);
            for (int i = 0; i < 500 && Files.isDirectory(dir); i++) {
                try {
                    Files.delete(dir);
                } catch (IOException e) {
                    Thread.sleep(10);
                }
            }
        }
    }

    /** SIGKILLs every process in the cgroup until it is empty, as a launcher's destroy would. */
    static void killAll(Path cgroup) throws Exception {
        Path procs = cgroup.resolve("cgroup.procs");
        for (int round = 0; round < 10_000; round++) {
            List<String> pids = Files.exists(procs) ? Files.readAllLines(procs) : List.of();
            if (pids.isEmpty()) {
                return;
            }
            for (String pid : pids) {
                ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
            Thread.sleep(5);
        }
        fail("the processes in " + cgroup + " could not all be killed");
    }

    static ContainerConfig config(double cpus, double memMb) {
        ContainerConfig.Builder b = ContainerConfig.newBuilder().setDirectory("/nonexistent-sandbox");
        if (cpus > 0) {
            b.addResources(scalar("cpus", cpus));
        }
        if (memMb > 0) {
            b.addResources(scalar("mem", memMb));
        }
        return b.build();
    }

    static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    /**
     * A container's init: {@code sh -c 'read go; <script>'}. It runs the script only after {@link
     * #go()}, i.e. after the test placed it in its cgroups with isolate.
     */
    static final class ContainerProcess implements AutoCloseable {
        final Process process;
        private final BufferedReader stdout;

        ContainerProcess(String script) throws IOException {
            process = new ProcessBuilder("sh", "-c", "read go; " + script).redirectErrorStream(true).start();
            stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        long pid() {
            return process.pid();
        }

        void go() throws IOException {
            OutputStream in = process.getOutputStream();
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** The next line the script prints (stderr included), or null at its end. */
        String readLine() throws IOException {
            return stdout.readLine();
        }

        @Override
        public void close() throws Exception {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
