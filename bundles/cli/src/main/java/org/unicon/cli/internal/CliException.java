package org.unicon.cli.internal;

/**
 * A failure the user is told about in one message, with the exit code the CLI ends with.
 * {@link UniconCli} prints the message to stderr; nothing else is printed (no stack trace).
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The agent answered, but refused or failed the request. */
    static final int AGENT_REFUSED = 1;
    /** Usage errors, an agent that cannot be reached, features not available yet. */
    static final int USAGE = 2;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
