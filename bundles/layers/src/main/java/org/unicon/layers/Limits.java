package org.unicon.layers;

/**
 * Bounds on what one layer may make the extractor do. Every limit is checked while streaming,
 * before the work it bounds is done, so a hostile layer fails fast without filling memory or disk.
 * Immutable and thread-safe; the {@code with…} methods return changed copies.
 */
public final class Limits {

    private static final long GIB = 1024L * 1024 * 1024;

    private final long maxEntries;
    private final long maxHeaderBytes;
    private final long maxExpandedBytes;
    private final long maxFileBytes;

    private Limits(long maxEntries, long maxHeaderBytes, long maxExpandedBytes, long maxFileBytes) {
        this.maxEntries = positive("maxEntries", maxEntries);
        this.maxHeaderBytes = positive("maxHeaderBytes", maxHeaderBytes);
        this.maxExpandedBytes = positive("maxExpandedBytes", maxExpandedBytes);
        this.maxFileBytes = positive("maxFileBytes", maxFileBytes);
    }

    /**
     * 1,000,000 entries; 1 MiB of extended headers (PAX, GNU long names) per entry; 32 GiB of
     * uncompressed tar; 16 GiB per file.
     */
    public static Limits defaults() {
        return new Limits(1_000_000, 1024 * 1024, 32 * GIB, 16 * GIB);
    }

    private static long positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
        return value;
    }

    /** The most tar entries (files, directories, links, whiteouts …) a layer may hold. */
    public long maxEntries() {
        return maxEntries;
    }

    /** The most bytes of extended headers (PAX records, GNU long names) before one entry. */
    public long maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /** The most bytes the uncompressed tar stream may have (what the DiffID covers). */
    public long maxExpandedBytes() {
        return maxExpandedBytes;
    }

    /** The largest regular file a layer may hold. */
    public long maxFileBytes() {
        return maxFileBytes;
    }

    /** A copy with {@link #maxEntries()} set to {@code value} (positive, else IllegalArgumentException). */
    public Limits withMaxEntries(long value) {
        return new Limits(value, maxHeaderBytes, maxExpandedBytes, maxFileBytes);
    }

    /** A copy with {@link #maxHeaderBytes()} set to {@code value} (positive, else IllegalArgumentException). */
    public Limits withMaxHeaderBytes(long value) {
        return new Limits(maxEntries, value, maxExpandedBytes, maxFileBytes);
    }

    /** A copy with {@link #maxExpandedBytes()} set to {@code value} (positive, else IllegalArgumentException). */
    public Limits withMaxExpandedBytes(long value) {
        return new Limits(maxEntries, maxHeaderBytes, value, maxFileBytes);
    }

    /** A copy with {@link #maxFileBytes()} set to {@code value} (positive, else IllegalArgumentException). */
    public Limits withMaxFileBytes(long value) {
        return new Limits(maxEntries, maxHeaderBytes, maxExpandedBytes, value);
    }

    @Override
    public String toString() {
        return "Limits[maxEntries=" + maxEntries + ", maxHeaderBytes=" + maxHeaderBytes
                + ", maxExpandedBytes=" + maxExpandedBytes + ", maxFileBytes=" + maxFileBytes + "]";
    }
}
