package org.unicon.layers;

/**
 * What {@link LayerExtractor#extract} produced.
 *
 * @param diffId  sha256 of the uncompressed tar stream (all of it, trailing padding included),
 *                to compare with the image config's {@code rootfs.diff_ids}
 * @param entries tar entries read (every entry, including whiteouts and skipped ones)
 * @param bytes   length of the uncompressed tar stream, i.e. the bytes {@code diffId} covers
 */
public record Extracted(Digest diffId, long entries, long bytes) {
}
