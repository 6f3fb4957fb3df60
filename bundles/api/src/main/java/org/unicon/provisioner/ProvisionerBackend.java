package org.unicon.provisioner;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Builds and removes container root filesystems from image layers. Calls for different
 * root filesystems may run concurrently. Layers are read-only: a backend never writes to them.
 */
@ConsumerType
public interface ProvisionerBackend {

    /** Service property (String): the backend's name, such as {@code overlay}. */
    String NAME = "unicon.backend.name";

    /**
     * Why this backend cannot work with layers stored under {@code storeDirectory} on this host
     * (e.g. "the kernel has no aufs"); empty when it can.
     */
    default Optional<String> unavailable(Path storeDirectory) {
        return Optional.empty();
    }

    /**
     * Makes {@code rootfs} (an empty directory the core created) show the layers, base first.
     * On failure, leaves nothing mounted.
     */
    void provision(List<Path> layers, Path rootfs) throws Exception;

    /** Undoes {@link #provision}: unmounts and deletes {@code rootfs}. Idempotent. */
    void destroy(Path rootfs) throws Exception;
}
