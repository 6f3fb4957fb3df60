package org.unicon.hostfs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Deletes a directory tree without following symbolic links and without reaching through a
 * mount: a rootfs may hold links to anywhere on the host, and a mount left inside it must stop
 * the deletion rather than lose the mounted files.
 */
public final class TreeDeleter {

    private TreeDeleter() {
    }

    /**
     * Deletes {@code root} and everything below it. A symbolic link (at {@code root} or below) is
     * deleted itself, never what it points to. A missing {@code root}, or entries that vanish
     * while it runs, are no error.
     *
     * <p>Before anything is deleted, a directory {@code root} that is a mount point or has a
     * mount below it (by {@link MountTable}) is refused; while walking, a directory on another
     * filesystem than {@code root}'s (a mount made meanwhile) stops the deletion. Either way the
     * mounted files are left untouched: unmount first (e.g. with {@link Unmounter#unmountAll}).
     *
     * @throws IOException naming {@code root} and the mount point when a mount is in the way, or
     *     the entry that could not be deleted; what was deleted until then stays deleted
     */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            refuseMounts(root);
        }
        Object device = Files.getAttribute(root, "unix:dev", LinkOption.NOFOLLOW_LINKS);
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!device.equals(Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
                    throw new IOException("will not delete " + root + ": " + dir
                            + " is another filesystem mounted inside it; unmount it first");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * A bind mount of a directory on the same filesystem has the same device number as its
     * surroundings, so only the mount table shows it.
     */
    private static void refuseMounts(Path root) throws IOException {
        List<Path> mounts = MountTable.mountPointsAtOrUnder(root);
        if (mounts.isEmpty()) {
            return;
        }
        Path mountPoint = mounts.get(0);
        throw new IOException("will not delete " + root + ": "
                + (mountPoint.equals(MountTable.canonical(root)) ? "it is a mount point"
                        : mountPoint + " is mounted inside it")
                + "; unmount it first");
    }
}
