package org.unicon.launcher.posix.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The host's processes as {@code /proc/<pid>/stat} shows them. */
final class ProcessTable {

    private static final Path PROC = Path.of("/proc");

    private ProcessTable() {
    }

    /**
     * One process: fields 1, 3, 4, 6 and 22 of {@code /proc/<pid>/stat}. The start time (clock
     * ticks since boot) tells a process from a later one that reused its pid.
     */
    record Entry(long pid, char state, long ppid, long session, long startTime) {

        /** False for zombies: they have ended and only wait to be reaped. */
        boolean isRunning() {
            return state != 'Z' && state != 'X' && state != 'x';
        }
    }

    static Optional<Entry> read(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"),
                    StandardCharsets.ISO_8859_1);
            return Optional.of(parse(pid, stat));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // The process ended while we read its file (ESRCH surfaces as a plain IOException).
            return Optional.empty();
        }
    }

    /** Whether the process {@code pid} started at {@code startTime} exists and has not ended. */
    static boolean isRunning(long pid, long startTime) {
        return read(pid).filter(e -> e.startTime() == startTime && e.isRunning()).isPresent();
    }

    static List<Entry> snapshot() throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, ProcessTable::isPidDirectory)) {
            for (Path dir : dirs) {
                read(Long.parseLong(dir.getFileName().toString())).ifPresent(entries::add);
            }
        }
        return entries;
    }

    private static boolean isPidDirectory(Path path) {
        String name = path.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    /** The command name (field 2) is in parentheses and may contain anything, even ") ". */
    private static Entry parse(long pid, String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state), so field n is f[n - 3].
        return new Entry(pid, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[3]),
                Long.parseLong(f[19]));
    }
}
