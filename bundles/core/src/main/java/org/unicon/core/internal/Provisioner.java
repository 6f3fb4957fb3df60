package org.unicon.core.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.unicon.containerizer.ContainerizerException;
import org.unicon.containerizer.ContainerizerException.Kind;
import org.unicon.model.Image;
import org.unicon.model.ImageSummary;
import org.unicon.provisioner.ProvisionerBackend;
import org.unicon.store.ImageStore;
import org.unicon.store.PullProgress;
import org.unicon.store.StoredImage;

/**
 * Gets images from the stores and picks the backend that makes root filesystems of them: the
 * configured {@code provisioner_image_backend}, or the first of overlay, aufs, copy that can work
 * where the store keeps the layers (Mesos's order).
 */
final class Provisioner {
    /** Backends in the order the core prefers them when none is configured. */
    static final List<String> BACKEND_PREFERENCE = List.of("overlay", "aufs", "copy");

    private final PluginRegistry plugins;
    private final AgentSettings settings;

    Provisioner(PluginRegistry plugins, AgentSettings settings) {
        this.plugins = plugins;
        this.settings = settings;
    }

    /** The store for the image's type, or why there is none. */
    Plugin<ImageStore> store(Image image) throws ContainerizerException {
        String type = image.getType().name();
        if (!settings.imageProviders().contains(type)) {
            throw new ContainerizerException(Kind.FAILED, Images.describe(image) + " cannot be used: image_providers"
                    + " does not include " + type + " (it is '" + String.join(",", settings.imageProviders()) + "')");
        }
        return plugins.stores.get(type).orElseThrow(() -> new ContainerizerException(Kind.FAILED,
                "no image store for " + type + " images is installed (installed stores: "
                        + names(plugins.stores.all()) + ")"));
    }

    StoredImage fetch(Plugin<ImageStore> store, Image image, PullProgress progress) throws ContainerizerException {
        try {
            return store.service().get(image, progress);
        } catch (Exception e) {
            throw new ContainerizerException(Kind.FAILED, "could not get " + Images.describe(image) + ": "
                    + e.getMessage(), e);
        }
    }

    /** The backend for layers stored where {@code layers} are. */
    Plugin<ProvisionerBackend> backend(List<Path> layers) throws ContainerizerException {
        Path storeDirectory = layers.isEmpty() ? Path.of("/") : layers.get(0).getParent();
        String configured = settings.imageBackend();
        if (!configured.isEmpty()) {
            Plugin<ProvisionerBackend> backend = plugins.backends.get(configured).orElseThrow(() ->
                    new ContainerizerException(Kind.FAILED, "provisioner_image_backend is '" + configured
                            + "', which is not installed (installed backends: " + names(plugins.backends.all()) + ")"));
            Optional<String> unavailable = backend.service().unavailable(storeDirectory);
            if (unavailable.isPresent()) {
                throw new ContainerizerException(Kind.FAILED, "provisioner_image_backend is '" + configured
                        + "', which cannot work here: " + unavailable.get());
            }
            return backend;
        }
        List<String> reasons = new ArrayList<>();
        for (String name : BACKEND_PREFERENCE) {
            Optional<Plugin<ProvisionerBackend>> candidate = plugins.backends.get(name);
            if (candidate.isEmpty()) {
                continue;
            }
            Optional<String> unavailable = candidate.get().service().unavailable(storeDirectory);
            if (unavailable.isEmpty()) {
                return candidate.get();
            }
            reasons.add(name + ": " + unavailable.get());
        }
        throw new ContainerizerException(Kind.FAILED, "no provisioner backend can be used (installed: "
                + names(plugins.backends.all()) + (reasons.isEmpty() ? "" : "; " + String.join("; ", reasons)) + ")");
    }

    /** What the store says about the image, or the little the core knows. */
    static ImageSummary summary(Image image, StoredImage stored) {
        return stored.summary().orElseGet(() -> ImageSummary.newBuilder()
                .setType(image.getType()).setName(Images.name(image)).setLayers(stored.layers().size()).build());
    }

    static String names(List<? extends Plugin<?>> all) {
        return all.isEmpty() ? "none" : String.join(", ", all.stream().map(Plugin::name).distinct().toList());
    }
}
