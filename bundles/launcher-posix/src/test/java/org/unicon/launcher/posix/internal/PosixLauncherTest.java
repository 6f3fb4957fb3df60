package org.unicon.launcher.posix.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.Environment;

class PosixLauncherTest extends LauncherFixture {

    @Test
    void reportsTheRawWaitStatusAndWritesStdout() throws Exception {
        Request request = request("c1", shell("echo hello; exit 3"));

        assertEquals(3 << 8, run(request));
        assertEquals("hello\n", read(request.stdout()));
        assertEquals("", read(request.stderr()));
    }

    @Test
    void writesStderrToTheStderrFile() throws Exception {
        Request request = request("c1", shell("echo oops >&2"));

        assertEquals(0, run(request));
        assertEquals("oops\n", read(request.stderr()));
        assertEquals("", read(request.stdout()));
    }

    @Test
    void theCommandRunsOnlyAfterStart() throws Exception {
        Request request = request("c1", shell("touch started"));
        Path started = request.sandbox().resolve("started");

        create(request);
        Thread.sleep(500); // time the command would have had to run if it were not held back
        assertFalse(Files.exists(started), "the command ran before start");

        launcher.start(request.containerId());
        assertEquals(0, awaitExit(request.containerId()));
        assertTrue(Files.exists(started));
    }

    @Test
    void destroyBeforeStartNeverRunsTheCommand() throws Exception {
        Request request = request("c1", shell("touch started"));
        long pid = create(request);
        CompletableFuture<Integer> exit = launcher.exit(request.containerId()).toCompletableFuture();

        launcher.destroy(request.containerId());

        assertFalse(ProcessTable.read(pid).filter(ProcessTable.Entry::isRunning).isPresent(), "monitor left");
        assertEquals(9, exit.get(GUARD.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        assertFalse(Files.exists(request.sandbox().resolve("started")), "the command ran");
    }

    @Test
    void sigtermIsForwardedToTheCommand() throws Exception {
        Request request = request("c1", shell("echo ready; exec sleep 1000"));
        create(request);
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");

        launcher.kill(request.containerId(), 15);

        assertEquals(15, awaitExit(request.containerId()));
    }

    @Test
    void aTrappedSignalReachesTheCommand() throws Exception {
        Request request = request("c1",
                shell("trap 'echo got USR1; exit 4' USR1; echo ready; while true; do sleep 0.05; done"));
        create(request);
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");

        launcher.kill(request.containerId(), 10);

        assertEquals(4 << 8, awaitExit(request.containerId()));
        assertEquals("ready\ngot USR1\n", read(request.stdout()));
    }

    @Test
    void sigstopAndSigcontGoToTheCommandNotTheMonitor() throws Exception {
        Request request = request("c1", shell("echo ready; exec sleep 1000"));
        long pid = create(request);
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");

        launcher.kill(request.containerId(), 19);
        await("the command to stop", () -> commandState() == 'T');
        assertNotEquals('T', ProcessTable.read(pid).orElseThrow().state(), "the monitor stopped");
        launcher.kill(request.containerId(), 18);
        await("the command to continue", () -> commandState() != 'T');
        launcher.kill(request.containerId(), 15);

        assertEquals(15, awaitExit(request.containerId()));
    }

    private char commandState() {
        try {
            return markedProcesses().get(0).state();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void sigkillKillsTheCommandAndTheMonitorRecordsIt() throws Exception {
        Request request = request("c1", shell("echo ready; exec sleep 1000"));
        long pid = create(request);
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");

        launcher.kill(request.containerId(), 9);

        assertEquals(9, awaitExit(request.containerId()));
        assertEquals("9", Files.readString(request.directory().resolve(Monitor.STATUS)).trim(),
                "the monitor (pid " + pid + ") recorded the kill itself");
    }

    @Test
    void destroyKillsTheWholeTreeIncludingProcessesInANewSession() throws Exception {
        Request request = request("c1",
                shell("sleep 1000 & sleep 1000 & setsid sleep 1000 & echo ready; wait"));
        long pid = create(request);
        CompletableFuture<Integer> exit = launcher.exit(request.containerId()).toCompletableFuture();
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");
        await("the shell and its three sleeps", () -> {
            try {
                return markedProcesses().size() == 4;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertTrue(markedProcesses().stream().anyMatch(e -> e.session() != pid),
                "setsid did not leave the container's session, the test proves nothing");

        launcher.destroy(request.containerId());

        assertEquals(List.of(), leftProcesses());
        assertEquals(9, exit.get(GUARD.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void theEnvironmentIsExactlyTheLaunchInfos() throws Exception {
        Environment env = Environment.newBuilder().addVariables(markerVariable())
                .addVariables(variable("PATH", "/usr/bin:/bin"))
                .addVariables(variable("GREETING", "two words"))
                .addVariables(variable("EMPTY", ""))
                .addVariables(variable("UNICODE", "h\u00e9llo \u2603")).build();
        Request request = request("c1", ContainerLaunchInfo.newBuilder()
                .setCommand(exec("env", "env")).setEnvironment(env).build());

        assertEquals(0, run(request));
        assertEquals(Set.of(marker, "PATH=/usr/bin:/bin", "GREETING=two words", "EMPTY=", "UNICODE=h\u00e9llo \u2603"),
                lines(request.stdout()));
    }

    @Test
    void pathGetsADefaultWhenTheEnvironmentHasNone() throws Exception {
        Environment env = Environment.newBuilder().addVariables(markerVariable()).build();
        Request request = request("c1", ContainerLaunchInfo.newBuilder()
                .setCommand(exec("env", "env")).setEnvironment(env).build());

        assertEquals(0, run(request));
        assertEquals(Set.of(marker, "PATH=" + MonitorCommand.DEFAULT_PATH), lines(request.stdout()));
    }

    @Test
    void withoutShellArgumentsAreTheWholeArgvIncludingArgvZero() throws Exception {
        Request printf = request("c1", exec("printf", "not-an-argument", "%s|", "a b", "c"));
        Request sh = request("c2", exec("/bin/sh", "custom-name", "-c", "tr '\\0' '|' < /proc/$$/cmdline"));

        assertEquals(0, run(printf));
        assertEquals("a b|c|", read(printf.stdout()));
        assertEquals(0, run(sh));
        assertTrue(read(sh.stdout()).startsWith("custom-name|-c|tr "), read(sh.stdout()));
    }

    @Test
    void aCommandThatCannotBeExecutedEndsWith127() throws Exception {
        Request request = request("c1", exec("/nonexistent/program", "program"));

        assertEquals(127 << 8, run(request));
        String stderr = read(request.stderr());
        assertTrue(stderr.startsWith("unicon: cannot execute '/nonexistent/program'"), stderr);
        assertEquals(1, stderr.lines().count(), stderr);
    }

    @Test
    void runsInTheWorkingDirectoryCreatingIt() throws Exception {
        Path work = tmp.resolve("some/work dir");
        Request request = request("c1", ContainerLaunchInfo.newBuilder().setCommand(shell("pwd"))
                .setEnvironment(environment()).setWorkingDirectory(work.toString()).build());

        assertEquals(0, run(request));
        assertEquals(work + "\n", read(request.stdout()));
    }

    @Test
    void runsInTheSandboxByDefault() throws Exception {
        Request request = request("c1", shell("pwd"));

        assertEquals(0, run(request));
        assertEquals(request.sandbox() + "\n", read(request.stdout()));
    }

    @Test
    void runsAsTheGivenUserWithItsGroups() throws Exception {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0, "switching users needs root");
        Request request = request("c1", ContainerLaunchInfo.newBuilder().setCommand(shell("id -u; id -g; id -G"))
                .setEnvironment(environment()).setUser("nobody").build());

        assertEquals(0, run(request));
        String expectedGroups = new String(new ProcessBuilder("id", "-G", "nobody").start().getInputStream()
                .readAllBytes()).trim();
        assertEquals("65534\n65534\n" + expectedGroups + "\n", read(request.stdout()));
    }

    @Test
    void anUnknownUserFailsCreateClearly() throws Exception {
        Request request = request("c1", ContainerLaunchInfo.newBuilder().setCommand(shell("touch started"))
                .setEnvironment(environment()).setUser("no-such-user-unicon").build());

        Exception e = assertThrows(Exception.class, () -> create(request));

        assertEquals("cannot create container 'c1': user 'no-such-user-unicon' does not exist on this host",
                e.getMessage());
        assertFalse(Files.exists(request.sandbox().resolve("started")));
        assertThrows(ExecutionException.class,
                () -> launcher.exit(request.containerId()).toCompletableFuture().get(), "still known");
    }

    @Test
    void launchInfoThePosixLauncherCannotHonourIsRefused() throws Exception {
        Request request = request("c1", ContainerLaunchInfo.newBuilder().setCommand(shell("true"))
                .setEnvironment(environment()).setRootfs("/var/lib/rootfs").addCloneNamespaces(0x20000).build());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> create(request));

        assertEquals("the posix launcher cannot run container 'c1': its launch info sets rootfs,"
                + " clone_namespaces, which only the linux launcher implements (set launcher=linux)", e.getMessage());
    }

    @Test
    void unknownContainers() throws Exception {
        ContainerID ghost = id("ghost");

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> launcher.exit(ghost).toCompletableFuture().get());
        assertEquals("container 'ghost' is unknown to the posix launcher", e.getCause().getMessage());
        assertThrows(IllegalArgumentException.class, () -> launcher.kill(ghost, 15));
        assertThrows(IllegalArgumentException.class, () -> launcher.start(ghost));
        launcher.destroy(ghost); // not an error
    }

    @Test
    void statusNamesTheMonitorAndDestroyIsIdempotent() throws Exception {
        Request request = request("c1", shell("exec sleep 1000"));
        long pid = create(request);
        launcher.start(request.containerId());

        assertEquals(pid, launcher.status(request.containerId()).getExecutorPid());
        assertNotEquals(ProcessHandle.current().pid(), pid);

        launcher.destroy(request.containerId());
        launcher.destroy(request.containerId());
        assertEquals(List.of(), leftProcesses());
    }

    @Test
    void killBeforeStartEndsTheContainerWithoutRunningTheCommand() throws Exception {
        Request request = request("c1", shell("touch started"));
        create(request);

        launcher.kill(request.containerId(), 15);

        assertEquals(15, awaitExit(request.containerId()));
        assertThrows(java.io.IOException.class, () -> launcher.start(request.containerId()));
        assertFalse(Files.exists(request.sandbox().resolve("started")));
    }

    private static Set<String> lines(Path file) throws java.io.IOException {
        return Arrays.stream(read(file).split("\n")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }
}
