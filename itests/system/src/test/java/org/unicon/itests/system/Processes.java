package org.unicon.itests.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The processes on this machine that belong to a test: found through /proc. */
final class Processes {

    private Processes() {
    }

    /**
     * Every process whose command line, working directory or environment mentions {@code dir}:
     * the agent started with it, and container processes (which run in their sandbox under it).
     */
    static List<String> mentioning(Path dir) throws IOException {
        String needle = dir.toString();
        List<String> found = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                if (Long.parseLong(entry.getFileName().toString()) == self) {
                    continue;
                }
                String cmdline = read(entry.resolve("cmdline")).replace('\0', ' ').strip();
                String cwd = link(entry.resolve("cwd"));
                String environ = read(entry.resolve("environ"));
                if (cmdline.contains(needle) || cwd.startsWith(needle) || environ.contains(needle)) {
                    found.add(entry.getFileName() + " (cwd " + cwd + "): " + cmdline);
                }
            }
        }
        return found;
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";     // the process ended, or is not ours to read
        }
    }

    private static String link(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "";
        }
    }

    /** The resident set size of a process, in KiB (VmRSS), or -1 when it is gone. */
    static long rssKiB(long pid) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
