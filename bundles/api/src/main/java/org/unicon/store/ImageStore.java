package org.unicon.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;
import org.unicon.model.Image;
import org.unicon.model.ImageSummary;

/**
 * Fetches and keeps images.
 *
 * <p>{@link #get} may be called concurrently, also for the same image; a store fetches an
 * image once and shares the result. Nothing a store returns may be visible before it is
 * complete and verified: a crash in the middle of a fetch leaves nothing a later {@link #get}
 * would trust. Layers are read-only for everybody else and stay until {@link #prune} says so.
 */
@ConsumerType
public interface ImageStore {

    /** Service property (String): the {@code Image.Type} served, {@code DOCKER} or {@code APPC}. */
    String TYPE = "unicon.store.type";

    /**
     * The image's layers and runtime config, fetching it first when it is not in the store (or
     * when {@code image.cached} is false). Blocks until done, reporting each layer to
     * {@code progress}. Fails with a message that names the image and what went wrong (not
     * found, unauthorised, corrupt...).
     */
    StoredImage get(Image image, PullProgress progress) throws Exception;

    /** The images in the store. */
    default List<ImageSummary> images() throws Exception {
        return List.of();
    }

    /** Called once at start: drop what an interrupted fetch left. */
    default void recover() throws Exception {}

    /**
     * Removes images not in {@code excluded} and layers not in {@code layersInUse}.
     */
    default void prune(List<Image> excluded, Set<Path> layersInUse) throws Exception {}
}
