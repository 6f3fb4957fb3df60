package org.unicon.containerizer;

/** A containerizer operation that could not be done, with a message written for the user. */
public class ContainerizerException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What kind of failure this is; the HTTP API maps it to a status code. */
    public enum Kind {
        /** The request itself is wrong (a malformed ID, an unknown isolator...): 400. */
        INVALID,
        /** The container does not exist: 404. */
        NOT_FOUND,
        /** The container is not in a state that allows the operation: 409. */
        CONFLICT,
        /** The operation failed (e.g. a launch failed): 500, or 400 for LAUNCH_CONTAINER as Mesos does. */
        FAILED
    }

    private final Kind kind;

    public ContainerizerException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ContainerizerException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
