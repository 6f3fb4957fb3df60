package org.unicon.itests.paxexam;

import java.nio.file.Path;

/** The Unicon checkout the tests run in (Surefire passes it as {@code unicon.root}). */
final class Repository {
    private Repository() {}

    static Path root() {
        String root = System.getProperty("unicon.root");
        if (root == null || root.isBlank()) {
            throw new IllegalStateException("the system property unicon.root (the checkout) is not set");
        }
        return Path.of(root);
    }
}
