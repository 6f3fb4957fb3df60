package org.unicon.layers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds layer tars in memory with Commons Compress (PAX for long names, big numbers, xattrs). */
final class TarBuilder {

    static final FileTime MTIME = FileTime.from(Instant.parse("2020-01-02T03:04:05.123456789Z"));

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    TarBuilder() {
        tar = new TarArchiveOutputStream(bytes, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    TarBuilder dir(String name) {
        return dir(name, 0755, e -> { });
    }

    TarBuilder dir(String name, int mode, Consumer<TarArchiveEntry> more) {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
        e.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~07777 | mode);
        e.setLastModifiedTime(MTIME);
        more.accept(e);
        return put(e, new byte[0]);
    }

    TarBuilder file(String name, String content) {
        return file(name, content, 0644, e -> { });
    }

    TarBuilder file(String name, String content, int mode, Consumer<TarArchiveEntry> more) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        e.setMode(0100000 | mode);
        e.setSize(data.length);
        e.setLastModifiedTime(MTIME);
        more.accept(e);
        return put(e, data);
    }

    TarBuilder symlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        e.setMode(0120777);
        e.setLastModifiedTime(MTIME);
        return put(e, new byte[0]);
    }

    TarBuilder hardlink(String name, String target) {
        return hardlink(name, target, 0644);
    }

    TarBuilder hardlink(String name, String target, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
        e.setLinkName(target);
        e.setMode(0100000 | mode);
        return put(e, new byte[0]);
    }

    TarBuilder device(String name, byte type, int major, int minor, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        e.setMode(mode);
        e.setLastModifiedTime(MTIME);
        return put(e, new byte[0]);
    }

    TarBuilder fifo(String name) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
        e.setMode(010644);
        return put(e, new byte[0]);
    }

    /** An empty regular file, as Docker writes whiteouts ({@code .wh.x}, {@code .wh..wh..opq}). */
    TarBuilder whiteout(String name) {
        return file(name, "");
    }

    TarBuilder entry(TarArchiveEntry e, byte[] data) {
        return put(e, data);
    }

    private TarBuilder put(TarArchiveEntry e, byte[] data) {
        try {
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    byte[] tar() {
        try {
            tar.finish();
            tar.close();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
