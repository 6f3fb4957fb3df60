package org.unicon.launcher.posix.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * A second launcher instance stands for the agent after a restart: the first one is closed
 * (which, like an agent's death, leaves the containers running) and the second recovers them
 * from what the core checkpointed.
 */
class PosixLauncherRecoveryTest extends LauncherFixture {

    private void restartAgent(Request request, long pid) throws Exception {
        launcher.close();
        launcher = new PosixLauncher();
        Set<?> orphans = launcher.recover(List.of(new Launched(request.containerId(), OptionalLong.of(pid),
                request.directory())));
        assertEquals(Set.of(), orphans);
    }

    @Test
    void aRecoveredContainerCanBeSignalledAndReportsItsStatus() throws Exception {
        Request request = request("c1", shell("echo ready; exec sleep 1000"));
        long pid = create(request);
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");

        restartAgent(request, pid);
        assertEquals(pid, launcher.status(request.containerId()).getExecutorPid());
        launcher.kill(request.containerId(), 15);

        assertEquals(15, awaitExit(request.containerId()));
    }

    @Test
    void aContainerThatEndedWhileTheAgentWasDownReportsTheRecordedStatus() throws Exception {
        Request request = request("c1", shell("while [ ! -e go ]; do sleep 0.05; done; exit 7"));
        long pid = create(request);
        launcher.start(request.containerId());
        launcher.close();

        Files.createFile(request.sandbox().resolve("go"));
        await("the monitor to end", () -> ProcessTable.read(pid).filter(ProcessTable.Entry::isRunning).isEmpty());
        restartAgent(request, pid);

        assertEquals(7 << 8, awaitExit(request.containerId()));
    }

    @Test
    void aMonitorKilledWhileTheAgentWasDownReportsSigkillAndDestroyStillCleansUp() throws Exception {
        Request request = request("c1", shell("echo ready; sleep 1000 & wait"));
        long pid = create(request);
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");
        launcher.close();

        LibC.INSTANCE.kill((int) pid, LibC.SIGKILL);
        await("the monitor to end", () -> ProcessTable.read(pid).filter(ProcessTable.Entry::isRunning).isEmpty());
        restartAgent(request, pid);

        assertEquals(9, awaitExit(request.containerId()));
        assertFalse(markedProcesses().isEmpty(), "the command outlived its monitor, the test proves nothing");
        launcher.destroy(request.containerId());
        assertEquals(List.of(), leftProcesses());
    }

    @Test
    void aContainerNeverStartedExitsWithoutRunningWhenTheAgentGoesAway() throws Exception {
        Request request = request("c1", shell("touch started"));
        long pid = create(request);

        restartAgent(request, pid);

        assertEquals(9, awaitExit(request.containerId()));
        assertFalse(Files.exists(request.sandbox().resolve("started")));
    }
}
