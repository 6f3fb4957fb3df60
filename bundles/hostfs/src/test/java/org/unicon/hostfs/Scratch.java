package org.unicon.hostfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A test's temporary directory, where the test mounts with the real {@code mount} command (the
 * tests need root). On close whatever is still mounted below it is detached (and fails the
 * test), then it is deleted.
 */
final class Scratch implements AutoCloseable {

    final Path path;

    Scratch() throws IOException {
        path = Files.createTempDirectory("hostfs-test-").toRealPath();
    }

    /** A new directory (and its parents) at {@code relative}. */
    Path directory(String relative) throws IOException {
        return Files.createDirectories(path.resolve(relative));
    }

    /** A new directory at {@code relative} holding a file {@code precious} that must survive. */
    Path preciousDirectory(String relative) throws IOException {
        Path dir = directory(relative);
        Files.writeString(dir.resolve("precious"), "keep me");
        return dir;
    }

    /** Fails unless {@code dir} still holds its file {@code precious}. */
    static void assertPreciousKept(Path dir) throws IOException {
        assertEquals("keep me", Files.readString(dir.resolve("precious")), "a file that must survive");
    }

    /** Mounts a new tmpfs on {@code dir} (made when missing) and returns {@code dir}. */
    static Path tmpfs(Path dir) throws IOException, InterruptedException {
        mount("-t", "tmpfs", "hostfs-test", Files.createDirectories(dir).toString());
        return dir;
    }

    /** Bind-mounts {@code source} on {@code dir} (made when missing) and returns {@code dir}. */
    static Path bind(Path source, Path dir) throws IOException, InterruptedException {
        mount("--bind", source.toString(), Files.createDirectories(dir).toString());
        return dir;
    }

    private static void mount(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mount"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed (the tests need root): " + output.strip());
        }
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
