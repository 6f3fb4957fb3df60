package org.unicon.cli.internal;

import java.util.Locale;

/** Linux signal names and numbers (x86-64 and arm64 agree on 1-31). */
final class Signals {

    private static final String[] NAMES = {
        null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
        "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
        "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"
    };

    private Signals() {
    }

    /** "SIGTERM" for 15; "SIG37" for a signal without a name (e.g. a real-time one). */
    static String name(int signal) {
        if (signal > 0 && signal < NAMES.length) {
            return "SIG" + NAMES[signal];
        }
        return "SIG" + signal;
    }

    /** Parses "TERM", "SIGTERM", "sigterm" or "15". */
    static int parse(String text) {
        String value = text.strip().toUpperCase(Locale.ROOT);
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
            int number;
            try {
                number = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                number = -1;
            }
            if (number < 1 || number > 64) {
                throw CliException.usage("signal '" + text + "' is not between 1 and 64");
            }
            return number;
        }
        String name = value.startsWith("SIG") ? value.substring(3) : value;
        for (int i = 1; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        throw CliException.usage("unknown signal '" + text + "' (use a name such as TERM, KILL, INT, HUP,"
                + " or a number)");
    }
}
