package org.unicon.backend.overlay.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/** The filesystem types the running kernel supports, as listed in {@code /proc/filesystems}. */
final class KernelFilesystems {

    private final Set<String> names;

    private KernelFilesystems(Set<String> names) {
        this.names = names;
    }

    static KernelFilesystems read() {
        try {
            return parse(Files.readString(Path.of("/proc/filesystems")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/filesystems", e);
        }
    }

    /** Parses lines like {@code nodev\toverlay} and {@code \text4}. */
    static KernelFilesystems parse(String text) {
        return new KernelFilesystems(text.lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .map(line -> line.substring(line.lastIndexOf('\t') + 1).strip())
                .collect(Collectors.toUnmodifiableSet()));
    }

    boolean has(String name) {
        return names.contains(name);
    }
}
