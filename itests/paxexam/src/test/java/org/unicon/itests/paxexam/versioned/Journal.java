package org.unicon.itests.paxexam.versioned;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What the test isolator did for a container, one line per call, in {@value #FILE} in the
 * container's sandbox (as a vendor's audit isolator would write it). Each line starts with the
 * version of the isolator that wrote it.
 */
public final class Journal {
    public static final String FILE = "versioned.journal";
    /** The file the isolator creates for a container in prepare and deletes in cleanup. */
    public static final String RESOURCE = "versioned.resource";

    private Journal() {}

    public static synchronized void append(Path sandbox, String version, String line) {
        try {
            Files.writeString(sandbox.resolve(FILE), version + " " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("test/versioned could not write its journal in " + sandbox, e);
        }
    }
}
