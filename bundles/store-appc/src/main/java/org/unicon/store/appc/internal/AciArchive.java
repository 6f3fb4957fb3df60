package org.unicon.store.appc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.unicon.layers.Decompression;
import org.unicon.layers.InvalidLayerException;

/**
 * An ACI file: a tar, plain or compressed, of {@code manifest} and {@code rootfs/}. The store
 * decompresses it itself, because the image ID is the sha512 of the uncompressed tar; the
 * extraction of {@code rootfs/} is the layers library's.
 */
final class AciArchive {
    /** A manifest is a few KiB; anything near this is not one. */
    static final int MAX_MANIFEST_BYTES = 1024 * 1024;

    /** The manifest's bytes, as found in the tar. */
    record Content(byte[] manifest) {}

    private AciArchive() {}

    /** The uncompressed tar of the ACI (gzip, as {@code actool build} writes it, bzip2, zstd or none). */
    static InputStream uncompressed(InputStream source) throws IOException {
        return Decompression.open(source);
    }

    /**
     * Reads the {@code manifest} entry of an ACI whose tar the layers library has already
     * accepted (so headers and sizes are within its limits). Fails, naming {@code where}, when
     * there is no manifest, more than one, one that is not a regular file or too big, or no
     * {@code rootfs} directory.
     */
    static Content read(Path aci, String where) throws IOException {
        byte[] manifest = null;
        boolean rootfs = false;
        try (InputStream file = Files.newInputStream(aci);
             TarArchiveInputStream tar = new TarArchiveInputStream(uncompressed(file))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = normalise(entry.getName());
                if (name.equals("rootfs") || name.startsWith("rootfs/")) {
                    rootfs = true;
                }
                if (!name.equals("manifest")) {
                    continue;
                }
                if (manifest != null) {
                    throw new AciManifest.MalformedException(where, "the ACI holds more than one manifest");
                }
                if (!entry.isFile()) {
                    throw new AciManifest.MalformedException(where, "the ACI's manifest is not a regular file");
                }
                if (entry.getSize() > MAX_MANIFEST_BYTES) {
                    throw new AciManifest.MalformedException(where, "the manifest has " + entry.getSize()
                            + " bytes, more than " + MAX_MANIFEST_BYTES);
                }
                manifest = tar.readNBytes((int) entry.getSize());
            }
        }
        if (manifest == null) {
            throw new AciManifest.MalformedException(where, "the ACI has no manifest (not an ACI?)");
        }
        if (!rootfs) {
            throw new AciManifest.MalformedException(where, "the ACI has no rootfs directory");
        }
        return new Content(manifest);
    }

    /** Entry names as the layers library reads them: no leading {@code ./} or {@code /}. */
    private static String normalise(String name) {
        String n = name;
        while (n.startsWith("./") || n.startsWith("/")) {
            n = n.substring(n.startsWith("./") ? 2 : 1);
        }
        return n;
    }
}
