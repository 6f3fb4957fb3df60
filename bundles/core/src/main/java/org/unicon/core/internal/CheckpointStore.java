package org.unicon.core.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;

/**
 * Writes checkpoints so that a crash at any instant leaves either the old file or the new one,
 * never a mix: the bytes go to a temp file in the same directory, which is fsynced, renamed over
 * the target, and then the directory is fsynced so the rename itself is durable.
 */
public class CheckpointStore {

    /** Where the temp file for {@code target} is written; a leftover one is garbage. */
    static Path tempFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp");
    }

    public void write(Path target, Message message) throws IOException {
        write(target, message.toByteArray());
    }

    public void writeText(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    public void write(Path target, byte[] bytes) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = tempFor(target);
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap(bytes));
            out.force(true);
        }
        rename(temp, target);
        fsyncDirectory(dir);
    }

    /** Separate so a test can stand in for a crash between write and rename. */
    void rename(Path temp, Path target) throws IOException {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public <T extends Message> Optional<T> read(Path source, Parser<T> parser) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(source);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new IOException("checkpoint " + source + " is corrupt: " + e.getMessage(), e);
        }
    }

    public Optional<String> readText(Path source) throws IOException {
        try {
            return Optional.of(Files.readString(source, StandardCharsets.UTF_8).trim());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
