package org.unicon.store.appc.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The one place that names the store's paths, below {@code appc_store_dir}:
 * <pre>
 * staging/                        work in progress (StagingArea); cleared by recover()
 * images/sha512-&lt;hex&gt;/manifest    one verified ACI, keyed by its image ID (Mesos's layout):
 * images/sha512-&lt;hex&gt;/rootfs/     its manifest and its rootfs in overlay form, the layer
 * references/&lt;sha256(key)&gt;.json   one record per image asked for (name and labels): its image
 *                                 ID and its layers, dependencies first
 * </pre>
 * An ACI directory appears whole (one rename) or not at all. The root is 0700: the layers hold
 * setuid files and device nodes that only the store and the backends may reach.
 */
final class StoreLayout {
    private final Path root;

    StoreLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Creates the directories (root 0700) if they are missing. */
    void create() throws IOException {
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root);
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        }
        Files.createDirectories(staging());
        Files.createDirectories(images());
        Files.createDirectories(references());
    }

    Path root() {
        return root;
    }

    Path staging() {
        return root.resolve("staging");
    }

    Path images() {
        return root.resolve("images");
    }

    Path references() {
        return root.resolve("references");
    }

    /** The directory of a verified ACI; {@code id} must match {@link AppcReference#IMAGE_ID}. */
    Path image(String id) {
        if (!AppcReference.IMAGE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("'" + id + "' is not an appc image ID");
        }
        return images().resolve(id);
    }

    Path manifest(String id) {
        return image(id).resolve("manifest");
    }

    /** The layer: the ACI's rootfs. */
    Path rootfs(String id) {
        return image(id).resolve("rootfs");
    }

    /** The image ID whose layer {@code path} is, if it is one of this store's layers. */
    Optional<String> idOfLayer(Path path) {
        Path p = path.toAbsolutePath().normalize();
        Path dir = p.getParent();
        if (dir == null || !p.getFileName().toString().equals("rootfs") || !images().equals(dir.getParent())) {
            return Optional.empty();
        }
        String id = dir.getFileName().toString();
        return AppcReference.IMAGE_ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }

    /** The record of an image reference; the file name is a hash, so any key maps to one safe name. */
    Path reference(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return references().resolve(HexFormat.of().formatHex(hash) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
