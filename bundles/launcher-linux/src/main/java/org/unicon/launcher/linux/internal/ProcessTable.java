package org.unicon.launcher.linux.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The host's processes as {@code /proc/<pid>/stat} shows them. */
final class ProcessTable {

    private ProcessTable() {
    }

    /**
     * Fields 1, 3 and 22 of {@code /proc/<pid>/stat}. The start time (clock ticks since boot)
     * tells a process from a later one that reused its pid.
     */
    record Entry(long pid, char state, long startTime) {

        /** False for zombies: they have ended and only wait to be reaped (by init, for conmon). */
        boolean isRunning() {
            return state != 'Z' && state != 'X' && state != 'x';
        }
    }

    static Optional<Entry> read(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
            // The command name (field 2) is in parentheses and may contain anything, even ") ".
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Optional.of(new Entry(pid, f[0].charAt(0), Long.parseLong(f[19])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone, or ended while we read its file
        }
    }

    /** Whether the process {@code pid} started at {@code startTime} exists and has not ended. */
    static boolean isRunning(long pid, long startTime) {
        return read(pid).filter(e -> e.startTime() == startTime && e.isRunning()).isPresent();
    }
}
