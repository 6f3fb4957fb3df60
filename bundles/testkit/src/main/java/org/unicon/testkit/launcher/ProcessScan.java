package org.unicon.testkit.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The host's processes as /proc shows them: enough to find a test's processes and their ancestry. */
final class ProcessScan {

    private ProcessScan() {
    }

    /** One live process (not a zombie). */
    record Proc(long pid, long parent, String cmdline, String environ) {
    }

    /** Every live process; those that end while they are read are left out. */
    static List<Proc> live() throws IOException {
        List<Proc> processes = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"),
                p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                read(Long.parseLong(dir.getFileName().toString())).ifPresent(processes::add);
            }
        }
        return processes;
    }

    static Optional<Proc> read(long pid) {
        Path dir = Path.of("/proc", Long.toString(pid));
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1);
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            char state = fields[0].charAt(0);
            if (state == 'Z' || state == 'X') {
                return Optional.empty();
            }
            String cmdline = Files.readString(dir.resolve("cmdline"), StandardCharsets.ISO_8859_1).replace('\0', ' ').trim();
            String environ = Files.readString(dir.resolve("environ"), StandardCharsets.ISO_8859_1);
            return Optional.of(new Proc(pid, Long.parseLong(fields[1]), cmdline, environ));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // ended while we looked
        }
    }

    /** Whether {@code ancestor} is {@code pid} or one of its ancestors. */
    static boolean descendsFrom(long pid, long ancestor) {
        for (long p = pid; p > 1; ) {
            if (p == ancestor) {
                return true;
            }
            Optional<Proc> proc = read(p);
            if (proc.isEmpty()) {
                return false;
            }
            p = proc.get().parent();
        }
        return ancestor == 1;
    }
}
