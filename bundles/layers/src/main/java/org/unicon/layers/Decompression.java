package org.unicon.layers;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Opens a possibly compressed archive, picking the decompressor by its magic bytes, once: gzip
 * (the JDK's), zstd (zstd-jni), bzip2 (Commons Compress), or none (a plain tar). Never
 * recursive, never an external program. xz is refused: the agent has no decoder for it.
 * Docker layers and appc ACIs both come through here.
 */
public final class Decompression {

    private static final int BUFFER = 64 * 1024;

    private Decompression() {
    }

    /**
     * The decompressed stream of {@code source}.
     *
     * @throws InvalidLayerException when the format is one the agent does not read, or its header is corrupt
     */
    public static InputStream open(InputStream source) throws IOException {
        BufferedInputStream in = new BufferedInputStream(source, BUFFER);
        in.mark(8);
        byte[] magic = in.readNBytes(6);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            try {
                return new GZIPInputStream(in, BUFFER);
            } catch (java.util.zip.ZipException e) {
                throw new InvalidLayerException("corrupt gzip header: " + e.getMessage(), e);
            }
        }
        if (magic.length >= 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return zstd(in);
        }
        if (magic.length >= 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h') {
            return new BZip2CompressorInputStream(in, true);
        }
        if (magic.length >= 6 && (magic[0] & 0xff) == 0xfd && magic[1] == '7' && magic[2] == 'z'
                && magic[3] == 'X' && magic[4] == 'Z' && magic[5] == 0) {
            throw new InvalidLayerException("xz-compressed layers are not supported (gzip, zstd, bzip2 and plain tar are)");
        }
        return in;
    }

    private static InputStream zstd(InputStream in) throws IOException {
        try {
            return new com.github.luben.zstd.ZstdInputStreamNoFinalizer(in);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IOException("zstd layers are not supported on this host: the zstd-jni native library"
                    + " could not be loaded (" + e + ")", e);
        }
    }
}
