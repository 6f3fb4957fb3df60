package org.unicon.core.internal;

/** Reads raw wait(2) statuses, as launchers report them and Mesos's API passes them on. */
final class WaitStatus {
    static final int SIGKILL = 9;

    private WaitStatus() {}

    static boolean exited(int status) {
        return (status & 0x7f) == 0;
    }

    static int exitCode(int status) {
        return (status >> 8) & 0xff;
    }

    static boolean signalled(int status) {
        int low = status & 0x7f;
        return low != 0 && low != 0x7f;
    }

    static int signal(int status) {
        return status & 0x7f;
    }

    /** "exited with code 3", "was killed by signal 15 (SIGTERM)". */
    static String describe(int status) {
        if (exited(status)) {
            return "exited with code " + exitCode(status);
        }
        if (signalled(status)) {
            return "was killed by signal " + signal(status) + signalName(signal(status));
        }
        return "ended with wait status " + status;
    }

    private static String signalName(int signal) {
        String[] names = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
            "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"};
        return signal < names.length ? " (" + names[signal] + ")" : "";
    }
}
