package org.unicon.layers.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Tree operations that never follow a symbolic link. */
public final class FileTree {

    private FileTree() {
    }

    /**
     * Deletes {@code path} and, if it is a real directory, everything below it. A symbolic link is
     * removed, never followed. Absent paths are fine.
     */
    public static void delete(Path path) throws IOException {
        NodeInfo info = NodeInfo.lstat(path);
        if (info == null) {
            return;
        }
        if (info.isDirectory()) {
            deleteContents(path);
        }
        try {
            Files.deleteIfExists(path);
        } catch (AccessDeniedException e) {
            // a read-only parent (a layer may make directories 0555): make it writable and retry
            Posix.chmod(path.getParent(), 0700);
            Files.deleteIfExists(path);
        }
    }

    /** Deletes everything inside the real directory {@code dir}, keeping {@code dir}. */
    public static void deleteContents(Path dir) throws IOException {
        NodeInfo info = NodeInfo.lstat(dir);
        if (info == null || !info.isDirectory()) {
            return;
        }
        if ((info.permissions() & 0700) != 0700) {
            Posix.chmod(dir, info.permissions() | 0700);
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                delete(child);
            }
        } catch (NoSuchFileException e) {
            // already gone
        }
    }

    /**
     * fsyncs every regular file and directory under {@code root} (and {@code root}), children
     * before parents, so that a rename that follows publishes durable content.
     */
    public static void sync(Path root) throws IOException {
        NodeInfo info = NodeInfo.lstat(root);
        if (info == null) {
            throw new NoSuchFileException(root.toString());
        }
        if (info.isDirectory()) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
                for (Path child : children) {
                    sync(child);
                }
            }
        }
        if (info.isDirectory() || info.isRegular()) {
            force(root);
        }
    }

    /** fsync of one file or directory. */
    public static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ,
                java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            channel.force(true);
        }
    }
}
