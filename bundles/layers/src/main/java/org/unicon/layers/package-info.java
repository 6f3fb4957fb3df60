/**
 * Turning untrusted image layer tarballs into stored layer directories, and applying stored layers.
 *
 * <p>A layer is stored once, extracted, in <em>overlay form</em>: a whiteout is a character device
 * 0/0 at the whited-out path and an opaque directory carries the xattr
 * {@code trusted.overlay.opaque=y}; no {@code .wh.*} names remain. The overlay backend mounts
 * stored layers directly as lower directories, the copy backend applies them in order with
 * {@link org.unicon.layers.LayerApplier}, and the bind backend bind-mounts a single one.
 *
 * <p>{@link org.unicon.layers.LayerExtractor} treats every byte of a layer as hostile: nothing is
 * created, changed or followed outside the target directory, limits ({@link org.unicon.layers.Limits})
 * bound entries, header sizes and expanded bytes, and any violation is an
 * {@link org.unicon.layers.InvalidLayerException} after which the partial output is gone.
 * {@link org.unicon.layers.StagingArea} makes the result visible atomically (fsync, then rename).
 * {@link org.unicon.layers.Digest} validates digest strings before they name anything on disk.
 *
 * <p>All classes are safe for concurrent use on distinct directories; none keeps global state.
 * The library needs root (CAP_MKNOD, CAP_CHOWN, CAP_SYS_ADMIN for {@code trusted.*} xattrs) to
 * produce overlay form.
 */
@Export
@Version("1.2.0")
package org.unicon.layers;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
