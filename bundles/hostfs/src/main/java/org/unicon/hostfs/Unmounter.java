package org.unicon.hostfs;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;

import org.unicon.hostfs.internal.LibC;

/**
 * Takes the mounts at or below a directory off, from the top down (see
 * {@link MountTable#mountPointsAtOrUnder(Path)}). Never follows a symbolic link at a mount point.
 */
public final class Unmounter {

    private static final Logger LOG = System.getLogger(Unmounter.class.getName());
    private static final int ATTEMPTS = 10;
    private static final long PAUSE_MILLIS = 50;
    private static final int NOFOLLOW = LibC.UMOUNT_NOFOLLOW;
    private static final int NOFOLLOW_DETACH = LibC.UMOUNT_NOFOLLOW | LibC.MNT_DETACH;

    private Unmounter() {
    }

    /**
     * Unmounts everything at or below {@code dir}, {@code dir} itself included. A busy mount is
     * retried a few times, 50 ms apart (a process may just be leaving it); only the last round
     * detaches lazily, which hides the mount at once but lets the kernel free it when its last
     * user goes (a warning is logged then). A mount that goes away by itself meanwhile (with its
     * parent, or unmounted by someone else) is no error. Returns at once when nothing is mounted
     * there, including when {@code dir} does not exist.
     *
     * @throws IOException when an unmount fails for another reason than busy or gone (e.g. EPERM
     *     without CAP_SYS_ADMIN), naming the mount point and the error, or when something is
     *     still mounted after the lazy round; or when interrupted while waiting between rounds
     */
    public static void unmountAll(Path dir) throws IOException {
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

    /**
     * Detaches everything at or below {@code dir} lazily, at once and without retrying: the
     * clean-up after something failed (e.g. after a test), before the directory is deleted.
     * Failures are ignored; what could not be detached stays in the mount table, where
     * {@link TreeDeleter#delete(Path)} sees it and refuses to delete through it.
     *
     * @return the mount points that were there, last mounted first (empty when none were)
     * @throws IOException when the mount table cannot be read
     */
    public static List<Path> detachAll(Path dir) throws IOException {
        List<Path> mounts = MountTable.mountPointsAtOrUnder(dir);
        for (Path mountPoint : mounts) {
            LibC.INSTANCE.umount2(mountPoint.toString(), NOFOLLOW_DETACH);
        }
        return mounts;
    }

    private static void unmount(Path mountPoint, boolean lazily) throws IOException {
        if (LibC.INSTANCE.umount2(mountPoint.toString(), lazily ? NOFOLLOW_DETACH : NOFOLLOW) == 0) {
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
