package org.unicon.layers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import org.unicon.layers.internal.TarUnpacker;

/**
 * Extracts one untrusted layer tarball into a directory in overlay form (see the package
 * documentation). Stateless and thread-safe: any number of layers may be extracted concurrently
 * into distinct targets, and each result depends only on its own bytes.
 */
public final class LayerExtractor {

    private LayerExtractor() {
    }

    /**
     * Extracts the layer read from {@code in} into {@code target}.
     *
     * <p>The compression is detected from magic bytes, once: gzip, zstd or plain tar (xz and bzip2
     * are refused). The DiffID is the sha256 of the whole uncompressed stream, computed while
     * extracting; {@code in} is read to its end but not closed.
     *
     * <p>{@code target} must be an empty directory, or absent with an existing parent, and private
     * to the caller while this runs (a {@link StagingArea} directory). Entries land in it in
     * overlay form: {@code .wh.NAME} becomes a 0/0 character device {@code NAME},
     * {@code .wh..wh..opq} makes its directory carry {@code trusted.overlay.opaque=y} (set after
     * the whole layer, so this layer's own entries in that directory stay), other
     * {@code .wh..wh.*} AUFS metadata is ignored. Nothing outside {@code target} is created,
     * changed or followed: names are resolved lexically ({@code ..} above the root is refused,
     * absolute names are root-relative), a symbolic link is never followed (one used as a parent
     * directory is refused; one in the way of a new entry is replaced), hard links must point to
     * earlier entries of this layer, owners are set with lchown before chmod (so setuid bits
     * stay), {@code trusted.overlay.*} and {@code user.overlay.*} xattrs are dropped, and device
     * nodes are created only if {@link ExtractOptions#devices()}. Owners are kept only when
     * running as root.
     *
     * <p>On any failure, whatever this call created is removed (the target is emptied, or deleted
     * if this call created it) before the exception is thrown.
     *
     * @throws InvalidLayerException the bytes are not a safe, well-formed layer within
     *         {@link ExtractOptions#limits()}; retrying the same bytes fails again
     * @throws IOException reading {@code in} failed (as thrown by it), or writing the target
     *         failed (e.g. disk full)
     */
    public static Extracted extract(InputStream in, Path target, ExtractOptions options) throws IOException {
        return new TarUnpacker(target, options).unpack(in);
    }

    /** {@link #extract(InputStream, Path, ExtractOptions)} with {@link ExtractOptions#defaults()}. */
    public static Extracted extract(InputStream in, Path target) throws IOException {
        return extract(in, target, ExtractOptions.defaults());
    }
}
