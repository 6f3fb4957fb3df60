package org.unicon.backend.overlay.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * What overlayfs needs from the filesystem that holds the layers (its lowerdirs): not a
 * filesystem overlay cannot stack on (the same list as Mesos and Docker), and directory entries
 * that carry their file type ({@code d_type}), without which overlay misreads whiteouts.
 */
final class StoreFilesystem {

    /** statfs(2) {@code f_type} magic numbers of filesystems overlay refuses to stack on. */
    static final Map<Long, String> UNSUITABLE = Map.of(
            0x794c7630L, "overlay",
            0x61756673L, "aufs",
            0x9123683eL, "btrfs",
            0x2fc12fc1L, "zfs",
            0xf15fL, "ecryptfs");

    private static final int DT_UNKNOWN = 0;

    private StoreFilesystem() {
    }

    /** Why overlay cannot use layers stored under {@code dir}; empty when it can. */
    static Optional<String> unsuitable(Path dir) {
        Path existing = nearestExisting(dir);
        Optional<String> type = unsuitableType(existing);
        if (type.isPresent()) {
            return Optional.of("the image store " + dir + " is on " + type.get()
                    + ", which overlayfs cannot use as lower layers");
        }
        try {
            if (!hasDirentTypes(existing)) {
                return Optional.of("the filesystem of the image store " + dir
                        + " does not record file types in directory entries (d_type), which overlayfs needs"
                        + " (for xfs: mkfs.xfs -n ftype=1)");
            }
        } catch (IOException e) {
            return Optional.of("cannot check whether the filesystem of " + dir
                    + " records d_type: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** The type name, when the filesystem under {@code dir} is one overlay refuses. */
    static Optional<String> unsuitableType(Path dir) {
        try (Memory buffer = new Memory(256)) {
            buffer.clear();
            if (LibC.INSTANCE.statfs(dir.toString(), buffer) != 0) {
                return Optional.of("a filesystem statfs(2) cannot read (" + LibC.describe(LibC.errno()) + ")");
            }
            long magic = buffer.getLong(0) & 0xffffffffL;
            return Optional.ofNullable(UNSUITABLE.get(magic));
        }
    }

    /** Creates a file in a scratch directory and reads its directory entry back. */
    static boolean hasDirentTypes(Path dir) throws IOException {
        Path probe = Files.createTempDirectory(dir, ".unicon-dtype-probe-");
        try {
            Files.createFile(probe.resolve("f"));
            Pointer stream = LibC.INSTANCE.opendir(probe.toString());
            if (stream == null) {
                throw new IOException("cannot read directory " + probe + ": " + LibC.describe(LibC.errno()));
            }
            try {
                for (Pointer entry = LibC.INSTANCE.readdir(stream); entry != null;
                        entry = LibC.INSTANCE.readdir(stream)) {
                    if ("f".equals(entry.getString(19, StandardCharsets.UTF_8.name()))) {
                        return entry.getByte(18) != DT_UNKNOWN;
                    }
                }
                throw new IOException("the entry just created in " + probe + " is not listed");
            } finally {
                LibC.INSTANCE.closedir(stream);
            }
        } finally {
            Files.deleteIfExists(probe.resolve("f"));
            Files.deleteIfExists(probe);
        }
    }

    /** {@code dir} or its closest existing ancestor (the store directory may not exist yet). */
    static Path nearestExisting(Path dir) {
        Path candidate = dir.toAbsolutePath().normalize();
        while (candidate.getParent() != null && !Files.isDirectory(candidate)) {
            candidate = candidate.getParent();
        }
        return candidate;
    }
}
