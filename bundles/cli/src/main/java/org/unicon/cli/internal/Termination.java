package org.unicon.cli.internal;

import org.unicon.model.agent.Response;

/**
 * How a container ended, decoded from the raw {@code wait(2)} status the agent reports, and the
 * exit code the CLI ends with for it: the command's exit code, or 128 + the signal number when
 * a signal killed it (as shells do). A container that never ran (its launch failed) has no
 * status: the CLI then ends with 1 and prints the agent's message.
 */
record Termination(Integer exitCode, Integer signal, String message) {

    static final int NO_STATUS_EXIT_CODE = 1;

    static Termination of(Response.WaitContainer wait) {
        // The agent's message matters when it says more than the status: why the container never
        // ran, or which limitation killed it. "the command was killed by signal 9" does not.
        boolean telling = !wait.hasExitStatus() || wait.hasReason() || wait.hasLimitation();
        String message = wait.hasMessage() && telling ? wait.getMessage() : "";
        if (!wait.hasExitStatus()) {
            return new Termination(null, null, message);
        }
        int status = wait.getExitStatus();
        int low = status & 0x7f;
        if (low == 0) {
            return new Termination((status >> 8) & 0xff, null, message);
        }
        if (low != 0x7f) {
            return new Termination(null, low, message);
        }
        // Stopped, not terminated: not a final status, but report it rather than hide it.
        return new Termination(null, (status >> 8) & 0xff, message);
    }

    boolean signalled() {
        return signal != null;
    }

    /**
     * The CLI's exit code for this termination. A container the agent ended for a reason (a
     * limitation such as running out of memory) never ends the CLI with 0, even when its command
     * happened to exit 0 before the agent destroyed it.
     */
    int cliExitCode() {
        if (exitCode != null) {
            return exitCode == 0 && !message.isEmpty() ? NO_STATUS_EXIT_CODE : exitCode;
        }
        if (signal != null) {
            return 128 + signal;
        }
        return NO_STATUS_EXIT_CODE;
    }

    /** Short form for tables: "exit 3", "SIGTERM (15)", or "-". */
    String brief() {
        if (exitCode != null) {
            return "exit " + exitCode;
        }
        if (signal != null) {
            return Signals.name(signal) + " (" + signal + ")";
        }
        return message.isEmpty() ? "no status" : "failed";
    }

    /**
     * The line printed to stderr when the container did not simply exit: killed by a signal, ended
     * by the agent for a reason (e.g. a limitation, with the agent's message), or never ran.
     * Empty when it just exited: its exit code says it all.
     */
    String report(String containerId) {
        if (exitCode != null) {
            return message.isEmpty() ? "" : "container " + containerId + " exited with code " + exitCode + ": " + message;
        }
        StringBuilder line = new StringBuilder();
        if (signal != null) {
            line.append("container ").append(containerId).append(" was killed by signal ").append(signal)
                    .append(" (").append(Signals.name(signal)).append(")");
        } else {
            line.append("container ").append(containerId).append(" has no exit status");
        }
        if (!message.isEmpty()) {
            line.append(": ").append(message);
        }
        return line.toString();
    }
}
