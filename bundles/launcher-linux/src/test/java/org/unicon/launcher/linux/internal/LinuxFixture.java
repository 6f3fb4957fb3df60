package org.unicon.launcher.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.launcher.LaunchRequest;
import org.unicon.launcher.LaunchedContainer;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.ContainerMountInfo;
import org.unicon.model.Environment;
import org.unicon.testkit.launcher.HiddenCgroups;

/**
 * What the launcher tests share: a launcher on a temporary runtime directory (its runtime root,
 * cgroups under {@code /unicon-test}), a busybox rootfs built from the host's
 * {@code /bin/busybox}, requests as the core would send them, and the check after every test
 * that nothing is left: no mount under the test directory, no runtime state, no conmon, no
 * cgroup named after a container in any hierarchy.
 */
abstract class LinuxFixture {

    /** Only guards against a hang; no test asserts on time. */
    static final Duration GUARD = Duration.ofSeconds(60);
    static final String CGROUPS_ROOT = "unicon-test";
    static final String SANDBOX = "/mnt/mesos/sandbox";

    @TempDir
    Path tmp;
    Path rootfs;
    RuntimeCli runtime;
    LinuxLauncher launcher;
    final List<ContainerID> created = new ArrayList<>();
    final List<String> ids = new ArrayList<>();

    record Request(ContainerID containerId, ContainerLaunchInfo launchInfo, Path sandbox, Path stdout,
            Path stderr, Path directory) implements LaunchRequest {
    }

    record Launched(ContainerID containerId, OptionalLong pid, Path directory) implements LaunchedContainer {
    }

    /** The runtime under test, with its root under {@code state}; tests are skipped if it cannot run here. */
    abstract RuntimeCli runtime(Path state) throws Exception;

    @BeforeEach
    void newLauncher() throws Exception {
        rootfs = BusyboxRootfs.build(tmp.resolve("rootfs"));
        runtime = runtime(tmp.resolve("run/launcher-linux"));
        launcher = newLauncherInstance();
    }

    LinuxLauncher newLauncherInstance() {
        return new LinuxLauncher(runtime, RuntimeChoice.binary("conmon", "").orElseThrow(), CGROUPS_ROOT);
    }

    @AfterEach
    void destroyEverythingAndCheckNothingIsLeft() throws Exception {
        if (launcher == null) {
            return; // skipped: this runtime cannot run here
        }
        try {
            for (ContainerID id : created) {
                launcher.destroy(id);
            }
        } finally {
            launcher.close();
        }
        assertEquals(List.of(), mountsUnder(tmp), "mounts left under the test directory");
        assertEquals(List.of(), runtime.list(), "containers left in the runtime's state");
        assertEquals(List.of(), entries(runtime.root()), "entries left in the runtime's root " + runtime.root());
        assertEquals(List.of(), conmons(), "conmon processes left");
        for (String id : ids) {
            assertEquals(List.of(), cgroupsNamed(id), "cgroups left for container " + id);
        }
        assertEquals(List.of(), CgroupDirectories.existing("/" + CGROUPS_ROOT),
                "the cgroups root is removed with the last container");
    }

    @AfterAll
    static void removeTheTestCgroupRoot() throws IOException {
        for (Path h : CgroupDirectories.hierarchies()) {
            try {
                Files.deleteIfExists(h.resolve(CGROUPS_ROOT));
            } catch (IOException e) {
                // another test class still uses it
            }
        }
    }

    /** A fresh container id (unique, so the leftover checks cannot see another run's cgroups). */
    String newId(String label) {
        String id = label + "-" + UUID.randomUUID().toString().substring(0, 8);
        ids.add(id);
        return id;
    }

    static CommandInfo shell(String command) {
        return CommandInfo.newBuilder().setShell(true).setValue(command).build();
    }

    static ContainerMountInfo bind(Path source, String target, boolean readOnly) {
        int flags = OciMounts.MS_BIND | OciMounts.MS_REC | (readOnly ? OciMounts.MS_RDONLY : 0);
        return ContainerMountInfo.newBuilder().setSource(source.toString()).setTarget(target).setFlags(flags).build();
    }

    static ContainerMountInfo proc() {
        return ContainerMountInfo.newBuilder().setSource("proc").setTarget("/proc").setType("proc")
                .setFlags(OciMounts.MS_NOSUID | OciMounts.MS_NODEV | OciMounts.MS_NOEXEC).build();
    }

    static ContainerMountInfo dev() {
        return ContainerMountInfo.newBuilder().setSource("tmpfs").setTarget("/dev").setType("tmpfs")
                .setFlags(OciMounts.MS_NOSUID | OciMounts.MS_STRICTATIME).setOptions("mode=755,size=65536k").build();
    }

    /** Launch info as the core and filesystem/linux would send: rootfs, /proc, /dev, the sandbox. */
    ContainerLaunchInfo.Builder info(String id, CommandInfo command, int... namespaces) throws IOException {
        Path sandbox = sandbox(id);
        ContainerLaunchInfo.Builder b = ContainerLaunchInfo.newBuilder().setCommand(command)
                .setRootfs(rootfs.toString()).setWorkingDirectory(SANDBOX)
                .setEnvironment(Environment.newBuilder().addVariables(Environment.Variable.newBuilder()
                        .setName("MESOS_SANDBOX").setValue(SANDBOX)))
                .addMounts(proc()).addMounts(dev()).addMounts(bind(sandbox, SANDBOX, false));
        for (int ns : namespaces) {
            b.addCloneNamespaces(ns);
        }
        return b;
    }

    Path sandbox(String id) throws IOException {
        return Files.createDirectories(tmp.resolve("work/containers").resolve(id));
    }

    Request request(String id, ContainerLaunchInfo info) throws IOException {
        Path sandbox = sandbox(id);
        return new Request(ContainerID.newBuilder().setValue(id).build(), info, sandbox, sandbox.resolve("stdout"),
                sandbox.resolve("stderr"), tmp.resolve("run/containers").resolve(id).resolve("launcher"));
    }

    long create(Request request) throws Exception {
        long pid = launcher.create(request);
        created.add(request.containerId());
        return pid;
    }

    int awaitExit(ContainerID id) throws Exception {
        return launcher.exit(id).toCompletableFuture().get(GUARD.toSeconds(), TimeUnit.SECONDS);
    }

    /** Creates, starts and waits for the container; returns the raw wait status. */
    int run(Request request) throws Exception {
        create(request);
        launcher.start(request.containerId());
        return awaitExit(request.containerId());
    }

    static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static void awaitOutput(Path file, String text) throws InterruptedException {
        await("'" + text + "' in " + file, () -> {
            try {
                return read(file).contains(text);
            } catch (IOException e) {
                return false;
            }
        });
    }

    static List<String> mountsUnder(Path dir) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(dir.toString())).toList();
    }

    static List<String> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** Live conmon processes started by this test (their command line names the test directory). */
    List<String> conmons() throws IOException {
        List<String> left = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"),
                p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                try {
                    String cmdline = Files.readString(dir.resolve("cmdline"), StandardCharsets.ISO_8859_1)
                            .replace('\0', ' ').trim();
                    long pid = Long.parseLong(dir.getFileName().toString());
                    if (cmdline.contains(tmp.toString()) && ProcessTable.read(pid).filter(ProcessTable.Entry::isRunning)
                            .isPresent()) {
                        left.add(pid + " " + cmdline);
                    }
                } catch (IOException e) {
                    // ended while we looked
                }
            }
        }
        return left;
    }

    /**
     * Directories named after the container in any cgroup hierarchy, at the top or under our root,
     * and beneath a hybrid host's cgroup2 mount (see {@link HiddenCgroups}).
     */
    static List<Path> cgroupsNamed(String id) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path h : CgroupDirectories.hierarchies()) {
            for (Path p : List.of(h.resolve(id), h.resolve(CGROUPS_ROOT).resolve(id))) {
                if (Files.exists(p)) {
                    found.add(p);
                }
            }
        }
        HiddenCgroups.beneathCgroup2(id, CGROUPS_ROOT + "/" + id).forEach(p -> found.add(Path.of(p)));
        return found;
    }
}
