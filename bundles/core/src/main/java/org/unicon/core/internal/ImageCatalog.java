package org.unicon.core.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.unicon.containerizer.ContainerizerException;
import org.unicon.containerizer.ContainerizerException.Kind;
import org.unicon.model.Image;
import org.unicon.model.ImageSummary;
import org.unicon.store.ImageStore;
import org.unicon.store.PullProgress;
import org.unicon.store.StoredImage;

/** Image operations that are not part of a launch: pull, list, prune. */
final class ImageCatalog {
    private final ContainerizerCore core;

    ImageCatalog(ContainerizerCore core) {
        this.core = core;
    }

    ImageSummary pull(Image image, PullProgress progress) throws ContainerizerException {
        if (!image.hasType()) {
            throw new ContainerizerException(Kind.INVALID, "image.type is missing (DOCKER or APPC)");
        }
        Provisioner provisioner = new Provisioner(core.registry(), core.settings());
        String type = image.getType().name();
        Plugin<ImageStore> store = core.awaitPlugins("pull of " + Images.describe(image),
                () -> core.settings().imageProviders().contains(type) && core.registry().stores.get(type).isEmpty()
                        ? List.of("the " + type + " image store") : List.of(),
                () -> provisioner.store(image));
        StoredImage stored = provisioner.fetch(store, image, progress);
        return Provisioner.summary(image, stored);
    }

    List<ImageSummary> images() throws ContainerizerException {
        List<ImageSummary> all = new ArrayList<>();
        for (Plugin<ImageStore> store : core.registry().stores.all()) {
            try {
                all.addAll(store.service().images());
            } catch (Exception e) {
                throw new ContainerizerException(Kind.FAILED, "store '" + store.name() + "' could not list its images: "
                        + e.getMessage(), e);
            }
        }
        return all;
    }

    /** Keeps the excluded images and everything a container that is not terminated uses. */
    void prune(List<Image> excluded) throws ContainerizerException {
        List<Image> keep = new ArrayList<>(excluded);
        Set<Path> layersInUse = new HashSet<>();
        for (Container container : core.table().values()) {
            synchronized (container) {
                if (container.terminated()) {
                    continue;
                }
                if (container.config != null && container.config.getContainerInfo().getMesos().hasImage()) {
                    keep.add(container.config.getContainerInfo().getMesos().getImage());
                }
                if (container.checkpoint != null) {
                    container.checkpoint.getLayersList().forEach(l -> layersInUse.add(Path.of(l)));
                }
            }
        }
        for (Plugin<ImageStore> store : core.registry().stores.all()) {
            List<Image> ofType = keep.stream().filter(i -> i.getType().name().equals(store.name())).toList();
            try {
                store.service().prune(ofType, layersInUse);
            } catch (Exception e) {
                throw new ContainerizerException(Kind.FAILED, "store '" + store.name() + "' could not prune: "
                        + e.getMessage(), e);
            }
        }
    }
}
