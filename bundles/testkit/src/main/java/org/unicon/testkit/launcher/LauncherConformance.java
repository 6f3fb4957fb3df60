package org.unicon.testkit.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.unicon.launcher.Launcher;
import org.unicon.model.ContainerID;

/**
 * What every {@link Launcher} owes the core, checked with real processes. Extend it in the
 * launcher's tests:
 *
 * <pre>
 * class MyLauncherConformanceTest extends LauncherConformance {
 *     protected Launcher createLauncher() { return new MyLauncher(temp.resolve("state")); }
 *     protected ContainerLaunchInfo.Builder launchInfo(String id, CommandInfo command, Path sandbox) {
 *         return ContainerLaunchInfo.newBuilder().setCommand(command);
 *     }
 * }
 * </pre>
 *
 * The suite checks that the command does not run between {@code create} and {@code start} (and
 * never, when the container is destroyed instead); that every process descends from the pid
 * {@code create} returns; that output lands in the sandbox files; that {@code exit} completes
 * with the raw {@code wait(2)} status ({@code exit 3} is 768, SIGKILL is 9) and fails for an
 * unknown container; that {@code kill} delivers the signal; that {@code destroy} kills every
 * process, completes pending exit stages before it returns, is idempotent and accepts unknown
 * containers; and that a second instance of the launcher (the agent after a restart) reattaches
 * to running containers, reports the exit of those that ended meanwhile, and reports orphans.
 * After every test it destroys what the test created and checks that no process of the test is
 * left; {@link #assertNothingLeft} adds a launcher's own checks (mounts, cgroups, state).
 */
public abstract class LauncherConformance extends LauncherFixture {

    @Test
    void theCommandRunsOnlyAfterStartAndAfterWhatCameBetween() throws Exception {
        TestLaunchRequest held = request("held", "test -e isolated && echo isolated-first > order; touch started");
        Path started = held.sandbox().resolve("started");

        create(held);
        assertFalse(Files.exists(started), "the command ran before create returned");
        // What isolators do between create and start; then another container lives a whole life,
        // which gives a command that was not held back every chance to run.
        Files.writeString(held.sandbox().resolve("isolated"), "");
        assertEquals(0, run(request("meanwhile", "true")));
        assertFalse(Files.exists(started), "the command ran before start");

        launcher.start(held.containerId());
        assertEquals(0, awaitExit(held.containerId()));
        assertTrue(Files.exists(started), "the command did not run after start");
        assertEquals("isolated-first\n", read(held.sandbox().resolve("order")),
                "the command did not see what was done between create and start");
    }

    @Test
    void destroyBeforeStartNeverRunsTheCommand() throws Exception {
        TestLaunchRequest request = request("never-started", "touch started");
        create(request);
        CompletableFuture<Integer> exit = launcher.exit(request.containerId()).toCompletableFuture();

        launcher.destroy(request.containerId());

        assertTrue(exit.isDone(), "destroy returned before the pending exit stage completed");
        assertEquals(9, exit.get(), "a container destroyed before start reports SIGKILL");
        assertEquals(List.of(), processesLeft(), "processes left after destroy");
        assertFalse(Files.exists(request.sandbox().resolve("started")), "the command ran");
    }

    @Test
    void everyProcessDescendsFromThePidCreateReturns() throws Exception {
        TestLaunchRequest request = request("tree", "sleep 1000 & sleep 1000 & echo ready; wait");
        long pid = create(request);
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");
        await("the shell and its two sleeps", () -> containerProcesses().size() >= 3);

        for (long process : containerProcesses()) {
            assertTrue(ProcessScan.descendsFrom(process, pid), "process " + process + " of container '"
                    + request.containerId().getValue() + "' does not descend from " + pid + ", which create returned");
        }
    }

    @Test
    void exitReportsTheRawWaitStatusAndOutputLandsInTheSandboxFiles() throws Exception {
        TestLaunchRequest request = request("exit3", "echo to-stdout; echo to-stderr >&2; exit 3");

        assertEquals(3 << 8, run(request), "exit 3 is the raw wait status 768");
        assertEquals("to-stdout\n", read(request.stdout()));
        assertEquals("to-stderr\n", read(request.stderr()));
        assertEquals(0, run(request("exit0", "true")));
    }

    @Test
    void killDeliversTheSignalToTheCommand() throws Exception {
        TestLaunchRequest request = request("trap", "trap 'echo got TERM; exit 4' TERM; echo ready;"
                + " while true; do sleep 0.1; done");
        create(request);
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");

        launcher.kill(request.containerId(), 15);

        assertEquals(4 << 8, awaitExit(request.containerId()), "the command's TERM handler did not run");
        assertEquals("ready\ngot TERM\n", read(request.stdout()));
    }

    @Test
    void aCommandKilledBySigkillReportsSignal9() throws Exception {
        TestLaunchRequest request = request("sigkill", "echo ready; exec sleep 1000");
        create(request);
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");

        launcher.kill(request.containerId(), 9);

        assertEquals(9, awaitExit(request.containerId()));
    }

    @Test
    void destroyKillsEveryProcessCompletesPendingExitsAndIsIdempotent() throws Exception {
        TestLaunchRequest request = request("destroy", "sleep 1000 & setsid sleep 1000 & echo ready; wait");
        create(request);
        CompletableFuture<Integer> exit = launcher.exit(request.containerId()).toCompletableFuture();
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");
        await("the shell and its two sleeps", () -> containerProcesses().size() >= 3);

        launcher.destroy(request.containerId());

        assertEquals(List.of(), processesLeft(), "processes left after destroy returned");
        assertTrue(exit.isDone(), "destroy returned before the pending exit stage completed");
        assertEquals(9, exit.get(), "a destroyed container reports SIGKILL");
        launcher.destroy(request.containerId());
        ExecutionException unknown = assertThrows(ExecutionException.class,
                () -> launcher.exit(request.containerId()).toCompletableFuture().get(GUARD.toSeconds(), TimeUnit.SECONDS),
                "a destroyed container is unknown: its exit stage must fail");
        assertTrue(String.valueOf(unknown.getCause().getMessage()).contains(request.containerId().getValue()),
                "the failure does not name the container: " + unknown.getCause());
    }

    @Test
    void unknownContainersExitStageFailsAndDestroyIsNoError() throws Exception {
        ContainerID ghost = ContainerID.newBuilder().setValue(newId("ghost")).build();

        CompletableFuture<Integer> exit = launcher.exit(ghost).toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> exit.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertTrue(String.valueOf(e.getCause().getMessage()).contains(ghost.getValue()),
                "the failure does not name the container: " + e.getCause());
        launcher.destroy(ghost);
    }

    @Test
    void anotherInstanceRecoversRunningContainersAndCanSignalAndDestroyThem() throws Exception {
        TestLaunchRequest signalled = request("signalled", "trap 'echo got TERM; exit 4' TERM; echo ready;"
                + " while true; do sleep 0.1; done");
        TestLaunchRequest destroyed = request("destroyed", "sleep 1000 & echo ready; wait");
        long signalledPid = create(signalled);
        long destroyedPid = create(destroyed);
        launcher.start(signalled.containerId());
        launcher.start(destroyed.containerId());
        awaitOutput(signalled.stdout(), "ready");
        awaitOutput(destroyed.stdout(), "ready");

        Set<ContainerID> orphans = restart(List.of(TestLaunchedContainer.of(signalled, signalledPid),
                TestLaunchedContainer.of(destroyed, destroyedPid)));

        assertEquals(Set.of(), orphans, "the core listed every container: there are no orphans");
        CompletableFuture<Integer> destroyedExit = launcher.exit(destroyed.containerId()).toCompletableFuture();
        launcher.kill(signalled.containerId(), 15);
        assertEquals(4 << 8, awaitExit(signalled.containerId()));
        assertEquals("ready\ngot TERM\n", read(signalled.stdout()));
        launcher.destroy(destroyed.containerId());
        assertTrue(destroyedExit.isDone(), "destroy returned before the pending exit stage completed");
        assertEquals(9, destroyedExit.get());
        launcher.destroy(signalled.containerId());
        assertEquals(List.of(), processesLeft(), "processes left after destroying the recovered containers");
    }

    @Test
    void aContainerThatEndedWhileNoInstanceWatchedReportsItsStatus() throws Exception {
        TestLaunchRequest request = request("down", "while [ ! -e go ]; do sleep 0.05; done;"
                + " echo written-while-down; exit 7");
        long pid = create(request);
        launcher.start(request.containerId());
        stopLauncher();

        Files.writeString(request.sandbox().resolve("go"), "");
        await("the container and whatever watched it to end", () -> processesLeft().isEmpty());
        Set<ContainerID> orphans = restartStopped(List.of(TestLaunchedContainer.of(request, pid)));

        assertEquals(Set.of(), orphans);
        assertEquals(7 << 8, awaitExit(request.containerId()), "the recovered container reports exit 7");
        assertEquals("written-while-down\n", read(request.stdout()));
    }

    @Test
    void recoverReportsContainersTheCoreDoesNotListAsOrphansAndDestroysThem() throws Exception {
        assumeTrue(findsOrphans(), "this launcher leaves nothing on the host by which it could find orphans");
        TestLaunchRequest known = request("known", "exec sleep 1000");
        TestLaunchRequest orphan = request("orphan", "touch started");
        long pid = create(known);
        create(orphan); // created, never started: as when the agent died before checkpointing it
        launcher.start(known.containerId());

        Set<ContainerID> orphans = restart(List.of(TestLaunchedContainer.of(known, pid)));

        assertEquals(Set.of(orphan.containerId()), orphans);
        launcher.destroy(orphan.containerId());
        assertFalse(Files.exists(orphan.sandbox().resolve("started")), "the orphan's command ran");
        assertTrue(containerProcesses().stream().anyMatch(p -> ProcessScan.descendsFrom(p, pid)),
                "destroying the orphan touched the known container");
    }
}
