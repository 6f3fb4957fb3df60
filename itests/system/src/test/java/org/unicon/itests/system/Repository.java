package org.unicon.itests.system;

import java.nio.file.Files;
import java.nio.file.Path;

/** The source tree under test: where bin/unicon is. */
final class Repository {

    private Repository() {
    }

    static Path root() {
        String configured = System.getProperty("unicon.root");
        Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().resolve("../..");
        root = root.toAbsolutePath().normalize();
        if (!Files.isExecutable(root.resolve("bin/unicon"))) {
            throw new IllegalStateException("no bin/unicon under " + root + " (set -Dunicon.root)");
        }
        return root;
    }

    static Path unicon() {
        return root().resolve("bin/unicon");
    }
}
