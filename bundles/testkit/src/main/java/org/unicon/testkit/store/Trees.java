package org.unicon.testkit.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Comparable descriptions of directory trees. */
final class Trees {
    private Trees() {}

    /** One line per entry below {@code root}: relative path, type, size of regular files, link targets. */
    static List<String> describe(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.sorted().map(p -> {
                String rel = root.relativize(p).toString();
                try {
                    if (Files.isSymbolicLink(p)) {
                        return rel + " -> " + Files.readSymbolicLink(p);
                    }
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        return rel + "/";
                    }
                    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        return rel + " " + Files.size(p);
                    }
                    return rel + " (special)";
                } catch (IOException e) {
                    return rel + " unreadable: " + e.getMessage();
                }
            }).toList();
        }
    }
}
