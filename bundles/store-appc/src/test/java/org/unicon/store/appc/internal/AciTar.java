package org.unicon.store.appc.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * ACIs written entry by entry with Commons Compress, for what {@code actool build} refuses to
 * make: hostile entries and malformed manifests (the layers library's tests build their hostile
 * layers the same way).
 */
final class AciTar {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    AciTar() {
        tar = new TarArchiveOutputStream(bytes, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    /** A well-formed manifest for {@code name} version {@code version}, running /bin/sh. */
    static String manifest(String name, String version) {
        return "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"" + name + "\",\"labels\":["
                + "{\"name\":\"version\",\"value\":\"" + version + "\"},{\"name\":\"os\",\"value\":\"linux\"},"
                + "{\"name\":\"arch\",\"value\":\"amd64\"}],\"app\":{\"exec\":[\"/bin/sh\"],\"user\":\"0\",\"group\":\"0\"}}";
    }

    AciTar dir(String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
        e.setMode(040755);
        return put(e, new byte[0]);
    }

    AciTar file(String name, String content) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        e.setMode(0100644);
        e.setSize(data.length);
        return put(e, data);
    }

    AciTar symlink(String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        e.setMode(0120777);
        return put(e, new byte[0]);
    }

    AciTar hardlink(String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
        e.setLinkName(target);
        e.setMode(0100644);
        return put(e, new byte[0]);
    }

    private AciTar put(TarArchiveEntry e, byte[] data) throws IOException {
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
        return this;
    }

    /** Writes the gzipped ACI where discovery below {@code prefixDir} looks for name-version-linux-amd64. */
    Path write(Path prefixDir, String name, String version) throws IOException {
        tar.finish();
        Path aci = prefixDir.resolve(name + "-" + version + "-linux-amd64.aci");
        Files.createDirectories(aci.getParent());
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(bytes.toByteArray());
        }
        Files.write(aci, gz.toByteArray());
        return aci;
    }
}
