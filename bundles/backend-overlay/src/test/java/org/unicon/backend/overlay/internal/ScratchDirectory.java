package org.unicon.backend.overlay.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.unicon.hostfs.TreeDeleter;
import org.unicon.hostfs.Unmounter;

/**
 * A test's scratch directory that is checked for leftover mounts before it is deleted: a mount
 * still there fails the test, and is detached first so the deletion never reaches through it.
 */
final class ScratchDirectory implements AutoCloseable {

    final Path path;

    ScratchDirectory() throws IOException {
        path = Files.createTempDirectory("overlay-backend-test-");
    }

    @Override
    public void close() throws IOException {
        List<Path> mounted = Unmounter.detachAll(path);
        TreeDeleter.delete(path);
        if (!mounted.isEmpty()) {
            throw new AssertionError("still mounted after the test: " + mounted);
        }
    }
}
