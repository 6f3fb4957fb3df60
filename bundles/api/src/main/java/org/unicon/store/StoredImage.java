package org.unicon.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.unicon.model.ImageRuntimeConfig;
import org.unicon.model.ImageSummary;

/** An image in a store: its layer directories, base first, and its runtime config. */
public final class StoredImage {
    private final List<Path> layers;
    private final ImageRuntimeConfig config;
    private final ImageSummary summary;

    private StoredImage(List<Path> layers, ImageRuntimeConfig config, ImageSummary summary) {
        this.layers = List.copyOf(layers);
        this.config = Objects.requireNonNull(config, "config");
        this.summary = summary;
    }

    public static StoredImage of(List<Path> layers, ImageRuntimeConfig config) {
        return new StoredImage(layers, config, null);
    }

    /** With what {@code unicon images} shows for it (name as normalised, digest, size). */
    public static StoredImage of(List<Path> layers, ImageRuntimeConfig config, ImageSummary summary) {
        return new StoredImage(layers, config, Objects.requireNonNull(summary, "summary"));
    }

    public Optional<ImageSummary> summary() {
        return Optional.ofNullable(summary);
    }

    /** Directories holding each layer's extracted files, base layer first. */
    public List<Path> layers() {
        return layers;
    }

    public ImageRuntimeConfig config() {
        return config;
    }
}
