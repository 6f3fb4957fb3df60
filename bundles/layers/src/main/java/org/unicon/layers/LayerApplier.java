package org.unicon.layers;

import java.io.IOException;
import java.nio.file.Path;

import org.unicon.layers.internal.LayerCopy;

/**
 * Applies stored layers (overlay form) onto a plain directory tree, for backends that copy. The
 * result of applying layers base first is the tree an overlay mount of the same layers shows.
 * Thread-safe for distinct root file systems; one root file system must not see two applies at
 * once.
 */
public final class LayerApplier {

    private LayerApplier() {
    }

    /**
     * Applies {@code layer} (a directory made by {@link LayerExtractor}; only read) on top of
     * {@code rootfs} (a real directory):
     * <ul>
     * <li>a 0/0 character device removes what is at its path in {@code rootfs} (a symbolic link is
     * removed itself, a directory with its subtree) and creates nothing;</li>
     * <li>a directory merges into a directory; a directory marked
     * {@code trusted.overlay.opaque=y} first loses what lower layers put in it;</li>
     * <li>anything else replaces what is there (directory or link included), as overlayfs shows an
     * upper entry over a lower one: a lower symbolic link is replaced, never followed, so nothing
     * outside {@code rootfs} is reached whatever the lower layers hold;</li>
     * <li>owner (lchown), then mode (setuid bits included), xattrs (never
     * {@code trusted.overlay.*}/{@code user.overlay.*}), access and modification times are copied;
     * files hard-linked within the layer are hard-linked in {@code rootfs}.</li>
     * </ul>
     * On failure {@code rootfs} is left partly applied; the caller discards it.
     *
     * @throws IOException naming the path that could not be read or written
     */
    public static void apply(Path layer, Path rootfs) throws IOException {
        new LayerCopy(layer, rootfs).run();
    }
}
