package org.unicon.isolator.cgroups.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reading and writing cgroup control files, v1 and v2, and parsing their formats. Parsers take
 * the file's text so unit tests can feed them real samples from other hosts.
 */
final class CgroupFiles {
    /** What v2 writes for "no limit" (v1 uses a huge number, or -1 for CFS quota). */
    static final String V2_MAX = "max";

    private CgroupFiles() {
    }

    /**
     * A flat-keyed file ({@code memory.stat}, {@code cpu.stat}, {@code cpuacct.stat}, {@code
     * memory.events}, {@code memory.oom_control}): one {@code key value} pair per line. Lines that do
     * not hold a number (none in these files today) are skipped.
     */
    static Map<String, Long> parseFlatKeyed(String text) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] kv = line.strip().split("\\s+");
            if (kv.length == 2) {
                try {
                    values.put(kv[0], Long.parseLong(kv[1]));
                } catch (NumberFormatException e) {
                    // not a counter
                }
            }
        }
        return values;
    }

    /** A single-value file: a number, or v2's {@code max} (empty). */
    static OptionalLong parseLimit(String text) {
        String value = text.strip();
        if (value.equals(V2_MAX) || value.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(value));
    }

    /** v2 {@code cpu.max}: {@code "<quota|max> <period>"}; returns {quota (-1 = max), period}. */
    static long[] parseCpuMax(String text) {
        String[] parts = text.strip().split("\\s+");
        long quota = parts[0].equals(V2_MAX) ? -1 : Long.parseLong(parts[0]);
        long period = parts.length > 1 ? Long.parseLong(parts[1]) : 100_000;
        return new long[] {quota, period};
    }

    static Map<String, Long> readFlatKeyed(Path file) throws IOException {
        return parseFlatKeyed(Files.readString(file));
    }

    static OptionalLong readLimit(Path file) throws IOException {
        return parseLimit(Files.readString(file));
    }

    static long readLong(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }

    /** The value of a file, or empty when the file does not exist (a control the kernel lacks). */
    static OptionalLong readLongIfExists(Path file) throws IOException {
        try {
            return readLimit(file);
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Writes a control file in one write(2), as the kernel wants. The kernel's refusal comes
     * back as an IOException whose message is the errno text (e.g. "Device or resource busy").
     */
    static void write(Path file, String value) throws IOException {
        Files.writeString(file, value);
    }
}
