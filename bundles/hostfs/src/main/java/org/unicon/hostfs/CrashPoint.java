package org.unicon.hostfs;

import java.util.List;
import java.util.Optional;

import org.unicon.hostfs.internal.LibC;

/**
 * Named points where the agent kills itself with SIGKILL when asked to, so that tests can
 * crash it exactly there and check that a restart loses nothing and leaks nothing.
 *
 * <p>The environment variable {@value #VARIABLE} of the agent's process names one point, as
 * {@code after-create}, or, for a point that counts bytes, {@code mid-pull:1048576} (die once
 * more than that many bytes of a layer have been written). Unset, every call here is a
 * comparison of a constant and returns.
 */
public final class CrashPoint {

    /** The environment variable that names the point to die at. */
    public static final String VARIABLE = "UNICON_CRASH_POINT";

    /** After the rootfs is provisioned, before the isolators prepare. */
    public static final String AFTER_PROVISION = "after-provision";
    /** After every isolator prepared and the launch info is checkpointed, before create. */
    public static final String AFTER_PREPARE = "after-prepare";
    /** After the launcher created the paused container, before its pid is checkpointed. */
    public static final String AFTER_CREATE = "after-create";
    /** After the isolators isolated the container, before its command starts. */
    public static final String BEFORE_START = "before-start";
    /** After the container's processes are killed, before the isolators clean up. */
    public static final String MID_DESTROY = "mid-destroy";
    /** While a layer is being written: {@code mid-pull:N} dies after N bytes. */
    public static final String MID_PULL = "mid-pull";

    /** Every point the agent's own bundles have. */
    public static final List<String> POINTS = List.of(AFTER_PROVISION, AFTER_PREPARE, AFTER_CREATE, BEFORE_START,
            MID_DESTROY, MID_PULL);

    private static final String NAMED = Optional.ofNullable(System.getenv(VARIABLE)).orElse("");
    private static final String NAME = NAMED.contains(":") ? NAMED.substring(0, NAMED.indexOf(':')) : NAMED;
    private static final long BYTES = bytes(NAMED);

    private CrashPoint() {}

    /** Dies here if the variable names {@code point}. */
    public static void reached(String point) {
        if (NAME.equals(point) && !NAMED.contains(":")) {
            die(point);
        }
    }

    /** Dies here if the variable names {@code point} with a byte count that {@code bytes} passed. */
    public static void reached(String point, long bytes) {
        if (NAME.equals(point) && BYTES >= 0 && bytes > BYTES) {
            die(point + " after " + bytes + " bytes");
        }
    }

    /**
     * What is wrong with the variable's value, if anything: an unknown point, or a byte count
     * that is missing or not a number. For the agent to say so at start.
     */
    public static Optional<String> problem() {
        if (NAMED.isEmpty()) {
            return Optional.empty();
        }
        if (!POINTS.contains(NAME)) {
            return Optional.of(VARIABLE + " is '" + NAMED + "', which names no crash point; the points are "
                    + String.join(", ", POINTS));
        }
        if (NAME.equals(MID_PULL) != NAMED.contains(":") || (NAMED.contains(":") && BYTES < 0)) {
            return Optional.of(VARIABLE + " is '" + NAMED + "'; write " + MID_PULL + ":BYTES for " + MID_PULL
                    + " and the bare name for the other points");
        }
        return Optional.of(VARIABLE + " is '" + NAMED + "': the agent will kill itself there");
    }

    private static long bytes(String named) {
        int colon = named.indexOf(':');
        if (colon < 0) {
            return -1;
        }
        try {
            return Long.parseLong(named.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void die(String where) {
        System.err.println("unicon: crash point " + where + " reached; killing the agent with SIGKILL");
        System.err.flush();
        LibC.INSTANCE.kill(LibC.INSTANCE.getpid(), LibC.SIGKILL);
    }
}
