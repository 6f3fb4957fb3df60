package org.unicon.launcher.posix.internal;

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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.launcher.LaunchRequest;
import org.unicon.launcher.LaunchedContainer;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.Environment;

/**
 * What the launcher tests share: a launcher on temporary directories, requests whose processes
 * carry a marker variable, and the check that a test left no process behind — neither a
 * monitor (its command line names the test's directory) nor anything the command started (its
 * environment holds the marker, which escaped processes inherit too).
 */
abstract class LauncherFixture {

    /** Only guards against a hang; no test asserts on time. */
    static final Duration GUARD = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    final String marker = "UNICON_TEST_RUN=" + UUID.randomUUID();
    PosixLauncher launcher;
    final List<ContainerID> created = new ArrayList<>();

    record Request(ContainerID containerId, ContainerLaunchInfo launchInfo, Path sandbox, Path stdout,
            Path stderr, Path directory) implements LaunchRequest {
    }

    record Launched(ContainerID containerId, OptionalLong pid, Path directory) implements LaunchedContainer {
    }

    @BeforeEach
    void newLauncher() {
        launcher = new PosixLauncher();
    }

    @AfterEach
    void destroyEverythingAndCheckNothingIsLeft() throws Exception {
        try {
            for (ContainerID id : created) {
                launcher.destroy(id);
            }
        } finally {
            launcher.close();
        }
        assertEquals(List.of(), leftProcesses(), "processes left behind by the test");
    }

    static ContainerID id(String name) {
        return ContainerID.newBuilder().setValue(name).build();
    }

    static CommandInfo shell(String command) {
        return CommandInfo.newBuilder().setShell(true).setValue(command).build();
    }

    static CommandInfo exec(String value, String... argv) {
        return CommandInfo.newBuilder().setShell(false).setValue(value).addAllArguments(List.of(argv)).build();
    }

    Environment.Variable variable(String name, String value) {
        return Environment.Variable.newBuilder().setName(name).setValue(value).build();
    }

    /** The marker and a PATH. */
    Environment environment() {
        return Environment.newBuilder().addVariables(markerVariable())
                .addVariables(variable("PATH", "/usr/bin:/bin")).build();
    }

    Environment.Variable markerVariable() {
        String[] kv = marker.split("=", 2);
        return variable(kv[0], kv[1]);
    }

    Request request(String name, CommandInfo command) throws IOException {
        return request(name, ContainerLaunchInfo.newBuilder().setCommand(command).setEnvironment(environment()).build());
    }

    Request request(String name, ContainerLaunchInfo info) throws IOException {
        Path sandbox = Files.createDirectories(tmp.resolve("work/containers").resolve(name));
        return new Request(id(name), info, sandbox, sandbox.resolve("stdout"), sandbox.resolve("stderr"),
                tmp.resolve("run/containers").resolve(name).resolve("launcher"));
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

    /** Live processes started by this test: "pid cmdline". */
    List<String> leftProcesses() throws IOException {
        List<String> left = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"),
                p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                long pid = Long.parseLong(dir.getFileName().toString());
                try {
                    String cmdline = Files.readString(dir.resolve("cmdline"), StandardCharsets.ISO_8859_1)
                            .replace('\0', ' ').trim();
                    String environ = Files.readString(dir.resolve("environ"), StandardCharsets.ISO_8859_1);
                    boolean ours = cmdline.contains(tmp.toString()) || environ.contains(marker);
                    if (ours && ProcessTable.read(pid).filter(ProcessTable.Entry::isRunning).isPresent()) {
                        left.add(pid + " " + cmdline);
                    }
                } catch (IOException e) {
                    // ended while we looked
                }
            }
        }
        return left;
    }

    /** Live processes whose environment holds this test's marker. */
    List<ProcessTable.Entry> markedProcesses() throws IOException {
        List<ProcessTable.Entry> marked = new ArrayList<>();
        for (ProcessTable.Entry e : ProcessTable.snapshot()) {
            try {
                String environ = Files.readString(Path.of("/proc", Long.toString(e.pid()), "environ"),
                        StandardCharsets.ISO_8859_1);
                if (e.isRunning() && environ.contains(marker)) {
                    marked.add(e);
                }
            } catch (IOException ex) {
                // ended while we looked
            }
        }
        return marked;
    }
}
