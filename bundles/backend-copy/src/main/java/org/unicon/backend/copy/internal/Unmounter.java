package org.unicon.backend.copy.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;

/**
 * Takes every mount at or below a directory off, from the top down. A busy mount is retried a
 * few times (a process may just be leaving it); only then is it detached lazily, which hides
 * it at once but lets the kernel free it when its last user goes.
 */
final class Unmounter {

    private static final Logger LOG = System.getLogger(Unmounter.class.getName());
    private static final int ATTEMPTS = 10;
    private static final long PAUSE_MILLIS = 50;

    private Unmounter() {
    }

    static void unmountAll(Path dir) throws IOException {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            List<Path> mounts = MountTable.mountPointsAtOrUnder(dir);
            if (mounts.isEmpty()) {
                return;
            }
            boolean last = attempt == ATTEMPTS;
            for (Path mountPoint : mounts) {
                unmount(mountPoint, last);
            }
            if (!last && !MountTable.mountPointsAtOrUnder(dir).isEmpty()) {
                pause();
            }
        }
        List<Path> left = MountTable.mountPointsAtOrUnder(dir);
        if (!left.isEmpty()) {
            throw new IOException("cannot unmount " + left + " (still mounted after a lazy unmount)");
        }
    }

    private static void unmount(Path mountPoint, boolean lazily) throws IOException {
        int flags = LibC.UMOUNT_NOFOLLOW | (lazily ? LibC.MNT_DETACH : 0);
        if (LibC.INSTANCE.umount2(mountPoint.toString(), flags) == 0) {
            if (lazily) {
                LOG.log(Level.WARNING, "detached busy mount " + mountPoint
                        + " lazily; the kernel frees it when its last user leaves");
            }
            return;
        }
        int errno = LibC.errno();
        // EINVAL / ENOENT: a mount below went with its parent, or someone else unmounted it.
        if (errno != LibC.EBUSY && errno != LibC.EINVAL && errno != LibC.ENOENT) {
            throw new IOException("cannot unmount " + mountPoint + ": " + LibC.describe(errno));
        }
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a busy mount to be released", e);
        }
    }
}
