package org.unicon.launcher.posix.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.unicon.launcher.Launcher;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.Environment;
import org.unicon.testkit.launcher.LauncherConformance;
import org.unicon.testkit.launcher.TestLaunchRequest;
import org.unicon.testkit.launcher.TestLaunchedContainer;

/**
 * The posix launcher: the launcher conformance suite, and what is particular to plain host
 * processes under a monitor (the environment, argv, users, the monitor's own records). A second
 * instance stands for the agent after a restart, as in the suite.
 */
class PosixLauncherTest extends LauncherConformance {

    @Override
    protected Launcher createLauncher() {
        return new PosixLauncher();
    }

    @Override
    protected ContainerLaunchInfo.Builder launchInfo(String id, CommandInfo command, Path sandbox) {
        return ContainerLaunchInfo.newBuilder().setCommand(command)
                .setEnvironment(Environment.newBuilder().addVariables(variable("PATH", "/usr/bin:/bin")));
    }

    /** A posix container leaves nothing on the host (no cgroup) by which recover could find it. */
    @Override
    protected boolean findsOrphans() {
        return false;
    }

    private static CommandInfo exec(String value, String... argv) {
        return CommandInfo.newBuilder().setShell(false).setValue(value).addAllArguments(List.of(argv)).build();
    }

    private static Environment.Variable variable(String name, String value) {
        return Environment.Variable.newBuilder().setName(name).setValue(value).build();
    }

    private String markerEntry() {
        return marker().getName() + "=" + marker().getValue();
    }

    private TestLaunchRequest labelled(String label, ContainerLaunchInfo.Builder info) throws Exception {
        return request(newId(label), info);
    }

    private ContainerLaunchInfo.Builder withEnvironment(CommandInfo command, Environment.Variable... variables) {
        return ContainerLaunchInfo.newBuilder().setCommand(command)
                .setEnvironment(Environment.newBuilder().addVariables(marker()).addAllVariables(List.of(variables)));
    }

    private char commandState() throws IOException {
        return ProcessTable.read(containerProcesses().get(0)).orElseThrow().state();
    }

    /**
     * The status of a gone monitor is read on another thread. Here that thread starts each task
     * 300 ms late — a fake for a scheduling delay, which cannot be caused on purpose — and destroy
     * must still not return before the pending exit stages completed (on CI it once did).
     */
    @Test
    void destroyWaitsForExitStagesEvenWhenReadingTheStatusIsLate() throws Exception {
        stopLauncher();
        launcher = new PosixLauncher(new ThreadPoolExecutor(0, 4, 1, TimeUnit.SECONDS, new SynchronousQueue<>()) {
            @Override
            protected void beforeExecute(Thread t, Runnable r) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        TestLaunchRequest request = request("late", "echo ready; exec sleep 1000");
        create(request);
        CompletableFuture<Integer> first = launcher.exit(request.containerId()).toCompletableFuture();
        CompletableFuture<Integer> second = launcher.exit(request.containerId()).toCompletableFuture();
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");

        launcher.destroy(request.containerId());

        assertTrue(first.isDone() && second.isDone(), "destroy returned before the pending exit stages completed");
        assertEquals(9, first.get());
        assertEquals(9, second.get());
    }

    @Test
    void anUntrappedSigtermEndsTheCommandAndIsReportedAsTheSignal() throws Exception {
        TestLaunchRequest request = request("term", "echo ready; exec sleep 1000");
        create(request);
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");

        launcher.kill(request.containerId(), 15);

        assertEquals(15, awaitExit(request.containerId()));
    }

    @Test
    void sigstopAndSigcontGoToTheCommandNotTheMonitor() throws Exception {
        TestLaunchRequest request = request("stop", "echo ready; exec sleep 1000");
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

    @Test
    void theMonitorRecordsASigkillItself() throws Exception {
        TestLaunchRequest request = request("kill", "echo ready; exec sleep 1000");
        long pid = create(request);
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");

        launcher.kill(request.containerId(), 9);

        assertEquals(9, awaitExit(request.containerId()));
        assertEquals("9", Files.readString(request.directory().resolve(Monitor.STATUS)).trim(),
                "the monitor (pid " + pid + ") recorded the kill itself");
    }

    @Test
    void theEnvironmentIsExactlyTheLaunchInfos() throws Exception {
        TestLaunchRequest request = labelled("env", withEnvironment(exec("env", "env"),
                variable("PATH", "/usr/bin:/bin"), variable("GREETING", "two words"), variable("EMPTY", ""),
                variable("UNICODE", "h\u00e9llo \u2603")));

        assertEquals(0, run(request));
        assertEquals(Set.of(markerEntry(), "PATH=/usr/bin:/bin", "GREETING=two words", "EMPTY=", "UNICODE=h\u00e9llo \u2603"),
                lines(request.stdout()));
    }

    @Test
    void pathGetsADefaultWhenTheEnvironmentHasNone() throws Exception {
        TestLaunchRequest request = labelled("path", withEnvironment(exec("env", "env")));

        assertEquals(0, run(request));
        assertEquals(Set.of(markerEntry(), "PATH=" + MonitorCommand.DEFAULT_PATH), lines(request.stdout()));
    }

    @Test
    void withoutShellArgumentsAreTheWholeArgvIncludingArgvZero() throws Exception {
        String printfId = newId("printf");
        String shId = newId("sh");
        TestLaunchRequest printf = request(printfId, info(printfId, exec("printf", "not-an-argument", "%s|", "a b", "c")));
        TestLaunchRequest sh = request(shId, info(shId, exec("/bin/sh", "custom-name", "-c", "tr '\\0' '|' < /proc/$$/cmdline")));

        assertEquals(0, run(printf));
        assertEquals("a b|c|", read(printf.stdout()));
        assertEquals(0, run(sh));
        assertTrue(read(sh.stdout()).startsWith("custom-name|-c|tr "), read(sh.stdout()));
    }

    @Test
    void aCommandThatCannotBeExecutedEndsWith127() throws Exception {
        String id = newId("noexec");
        TestLaunchRequest request = request(id, info(id, exec("/nonexistent/program", "program")));

        assertEquals(127 << 8, run(request));
        String stderr = read(request.stderr());
        assertTrue(stderr.startsWith("unicon: cannot execute '/nonexistent/program'"), stderr);
        assertEquals(1, stderr.lines().count(), stderr);
    }

    @Test
    void runsInTheWorkingDirectoryCreatingIt() throws Exception {
        Path work = temp.resolve("some/work dir");
        String id = newId("workdir");
        TestLaunchRequest request = request(id, info(id, shell("pwd")).setWorkingDirectory(work.toString()));

        assertEquals(0, run(request));
        assertEquals(work + "\n", read(request.stdout()));
    }

    @Test
    void runsInTheSandboxByDefault() throws Exception {
        TestLaunchRequest request = request("sandbox", "pwd");

        assertEquals(0, run(request));
        assertEquals(request.sandbox() + "\n", read(request.stdout()));
    }

    @Test
    void runsAsTheGivenUserWithItsGroups() throws Exception {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0, "switching users needs root");
        String id = newId("user");
        TestLaunchRequest request = request(id, info(id, shell("id -u; id -g; id -G")).setUser("nobody"));

        assertEquals(0, run(request));
        String expectedGroups = new String(new ProcessBuilder("id", "-G", "nobody").start().getInputStream()
                .readAllBytes()).trim();
        assertEquals("65534\n65534\n" + expectedGroups + "\n", read(request.stdout()));
    }

    @Test
    void anUnknownUserFailsCreateClearly() throws Exception {
        String id = newId("nouser");
        TestLaunchRequest request = request(id, info(id, shell("touch started")).setUser("no-such-user-unicon"));

        Exception e = assertThrows(Exception.class, () -> create(request));

        assertEquals("cannot create container '" + id + "': user 'no-such-user-unicon' does not exist on this host",
                e.getMessage());
        assertFalse(Files.exists(request.sandbox().resolve("started")));
        assertThrows(ExecutionException.class,
                () -> launcher.exit(request.containerId()).toCompletableFuture().get(), "still known");
    }

    @Test
    void launchInfoThePosixLauncherCannotHonourIsRefused() throws Exception {
        String id = newId("refused");
        TestLaunchRequest request = request(id, info(id, shell("true")).setRootfs("/var/lib/rootfs")
                .addCloneNamespaces(0x20000));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> create(request));

        assertEquals("the posix launcher cannot run container '" + id + "': its launch info sets rootfs,"
                + " clone_namespaces, which only the linux launcher implements (set launcher=linux)", e.getMessage());
    }

    @Test
    void unknownContainersAreNamedInErrors() throws Exception {
        ContainerID ghost = ContainerID.newBuilder().setValue("ghost").build();

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> launcher.exit(ghost).toCompletableFuture().get());
        assertEquals("container 'ghost' is unknown to the posix launcher", e.getCause().getMessage());
        assertThrows(IllegalArgumentException.class, () -> launcher.kill(ghost, 15));
        assertThrows(IllegalArgumentException.class, () -> launcher.start(ghost));
    }

    @Test
    void statusNamesTheMonitorAlsoAfterARestart() throws Exception {
        TestLaunchRequest request = request("status", "exec sleep 1000");
        long pid = create(request);
        launcher.start(request.containerId());

        assertEquals(pid, launcher.status(request.containerId()).getExecutorPid());
        assertNotEquals(ProcessHandle.current().pid(), pid);
        restart(List.of(TestLaunchedContainer.of(request, pid)));
        assertEquals(pid, launcher.status(request.containerId()).getExecutorPid());
    }

    @Test
    void killBeforeStartEndsTheContainerWithoutRunningTheCommand() throws Exception {
        TestLaunchRequest request = request("early-kill", "touch started");
        create(request);

        launcher.kill(request.containerId(), 15);

        assertEquals(15, awaitExit(request.containerId()));
        assertThrows(IOException.class, () -> launcher.start(request.containerId()));
        assertFalse(Files.exists(request.sandbox().resolve("started")));
    }

    @Test
    void aMonitorKilledWhileTheAgentWasDownReportsSigkillAndDestroyStillCleansUp() throws Exception {
        TestLaunchRequest request = request("monitor-killed", "echo ready; sleep 1000 & wait");
        long pid = create(request);
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");
        stopLauncher();

        LibC.INSTANCE.kill((int) pid, LibC.SIGKILL);
        await("the monitor to end", () -> ProcessTable.read(pid).filter(ProcessTable.Entry::isRunning).isEmpty());
        restartStopped(List.of(TestLaunchedContainer.of(request, pid)));

        assertEquals(9, awaitExit(request.containerId()));
        assertFalse(containerProcesses().isEmpty(), "the command outlived its monitor, the test proves nothing");
        launcher.destroy(request.containerId());
        assertEquals(List.of(), processesLeft());
    }

    @Test
    void aContainerNeverStartedExitsWithoutRunningWhenTheAgentGoesAway() throws Exception {
        TestLaunchRequest request = request("orphaned-early", "touch started");
        long pid = create(request);

        restart(List.of(TestLaunchedContainer.of(request, pid)));

        assertEquals(9, awaitExit(request.containerId()));
        assertFalse(Files.exists(request.sandbox().resolve("started")));
    }

    private static Set<String> lines(Path file) throws IOException {
        return Arrays.stream(read(file).split("\n")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }
}
