package org.unicon.store.docker.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.unicon.layers.Digest;

/**
 * The one place that names the store's paths, below {@code docker_store_dir}:
 * <pre>
 * staging/                      work in progress (StagingArea); cleared by recover()
 * layers/sha256-&lt;diff_id hex&gt;/  one extracted layer in overlay form, shared by every image using it
 * images/&lt;sha256(name)&gt;.json    one record per image reference: manifest digest, layers, runtime config
 * </pre>
 * Layers are keyed by their DiffID (sha256 of the uncompressed tar), so a layer is the same
 * whether it came gzipped from a registry or plain from an archive. The root is 0700: the
 * layers hold setuid files and device nodes that only the store and the backends may reach.
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
        Files.createDirectories(layers());
        Files.createDirectories(images());
    }

    Path root() {
        return root;
    }

    Path staging() {
        return root.resolve("staging");
    }

    Path layers() {
        return root.resolve("layers");
    }

    Path images() {
        return root.resolve("images");
    }

    Path layer(Digest diffId) {
        return layers().resolve(diffId.fileName());
    }

    /** The record of an image; the file name is a hash, so any reference maps to one safe name. */
    Path record(String name) {
        return images().resolve(RegistryClient.sha256(name.getBytes(StandardCharsets.UTF_8)).hex() + ".json");
    }
}
