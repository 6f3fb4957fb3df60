package org.unicon.backend.overlay.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Hides whiteouts that overlayfs would list. Overlay filters whiteouts only when it reads a
 * merged directory; a directory that comes from a single layer is read straight from that
 * layer, so a whiteout of something no lower layer has (legal in an image: a directory that
 * replaced a symlink, or an opaque directory, with whiteouts inside) shows up as a name that
 * cannot be stat'ed. Such a directory is made merged the way overlay itself would: a no-op
 * chmod through the mount copies it up (metadata only; owner, mode, times and xattrs are
 * kept), after which its listing is filtered. Layers are never touched.
 */
final class PhantomWhiteouts {

    private PhantomWhiteouts() {
    }

    /** Walks the mounted {@code rootfs}; returns the directories it had to copy up. */
    static Set<Path> hide(Path rootfs) throws IOException {
        Set<Path> copiedUp = new LinkedHashSet<>();
        Files.walkFileTree(rootfs, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (!(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Path dir = file.getParent();
                if (copiedUp.add(dir)) {
                    int mode = (Integer) Files.getAttribute(dir, "unix:mode") & 07777;
                    if (LibC.INSTANCE.chmod(dir.toString(), mode) != 0) {
                        throw new IOException("cannot copy up " + dir + " to hide its whiteouts: "
                                + LibC.describe(LibC.errno()));
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return copiedUp;
    }
}
