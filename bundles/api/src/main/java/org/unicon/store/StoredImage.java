package org.unicon.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import org.unicon.model.ImageRuntimeConfig;

/** An image in a store: its layer directories, base first, and its runtime config. */
public final class StoredImage {
    private final List<Path> layers;
    private final ImageRuntimeConfig config;

    private StoredImage(List<Path> layers, ImageRuntimeConfig config) {
        this.layers = List.copyOf(layers);
        this.config = Objects.requireNonNull(config, "config");
    }

    public static StoredImage of(List<Path> layers, ImageRuntimeConfig config) {
        return new StoredImage(layers, config);
    }

    /** Directories holding each layer's extracted files, base layer first. */
    public List<Path> layers() {
        return layers;
    }

    public ImageRuntimeConfig config() {
        return config;
    }
}
