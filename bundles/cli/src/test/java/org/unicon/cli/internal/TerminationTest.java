package org.unicon.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.unicon.model.agent.Response;

class TerminationTest {

    private static Termination status(int raw) {
        return Termination.of(Response.WaitContainer.newBuilder().setExitStatus(raw).build());
    }

    @Test
    void anExitCodeIsTheCliExitCode() {
        Termination exit3 = status(3 << 8);
        assertEquals(3, exit3.cliExitCode());
        assertEquals("exit 3", exit3.brief());
        assertEquals("", exit3.report("c1"));
        assertEquals(0, status(0).cliExitCode());
    }

    @Test
    void aSignalBecomes128PlusItsNumberAndIsReported() {
        Termination term = status(15);
        assertEquals(143, term.cliExitCode());
        assertEquals("SIGTERM (15)", term.brief());
        assertEquals("container c1 was killed by signal 15 (SIGTERM)", term.report("c1"));
        // SIGKILL with the core-dump bit clear, SIGSEGV with it set.
        assertEquals(137, status(9).cliExitCode());
        assertEquals(139, status(11 | 0x80).cliExitCode());
    }

    @Test
    void theAgentsMessageIsShownWhenItSaysMoreThanTheStatus() {
        Termination plain = Termination.of(Response.WaitContainer.newBuilder().setExitStatus(9)
                .setMessage("the command was killed by signal 9 (SIGKILL)").build());
        assertEquals("container c1 was killed by signal 9 (SIGKILL)", plain.report("c1"));

        Termination limited = Termination.of(Response.WaitContainer.newBuilder().setExitStatus(9)
                .setReason(org.unicon.model.TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY)
                .setMessage("memory limit exceeded").build());
        assertEquals("container c1 was killed by signal 9 (SIGKILL): memory limit exceeded", limited.report("c1"));
    }

    @Test
    void noStatusMeansTheContainerNeverRan() {
        Termination failed = Termination.of(Response.WaitContainer.newBuilder()
                .setMessage("launcher 'linux' is missing").build());
        assertEquals(1, failed.cliExitCode());
        assertTrue(failed.report("c1").contains("has no exit status: launcher 'linux' is missing"));
    }

    @Test
    void signalNamesParseEitherWay() {
        assertEquals(15, Signals.parse("TERM"));
        assertEquals(15, Signals.parse("sigterm"));
        assertEquals(15, Signals.parse("15"));
        assertEquals(9, Signals.parse("KILL"));
        assertEquals("SIGHUP", Signals.name(1));
        assertEquals("SIG40", Signals.name(40));
    }

    @Test
    void aLimitationIsReportedAndNeverEndsWithSuccess() {
        Termination oom = Termination.of(Response.WaitContainer.newBuilder().setExitStatus(0)
                .setReason(org.unicon.model.TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY)
                .setMessage("memory limit exceeded: 32 MB").build());
        assertEquals(1, oom.cliExitCode(), "the shell exited 0, but the agent destroyed the container");
        assertEquals("container c1 exited with code 0: memory limit exceeded: 32 MB", oom.report("c1"));
    }
}
