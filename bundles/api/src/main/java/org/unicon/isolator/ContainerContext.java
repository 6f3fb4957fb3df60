package org.unicon.isolator;

import java.nio.file.Path;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerID;

/**
 * One container as one isolator sees it during {@code prepare}. The core makes one per
 * container and isolator; it is valid only during that call.
 */
@ProviderType
public interface ContainerContext {

    ContainerID containerId();

    /** The container's configuration: command, container info, resources, sandbox, rootfs. */
    ContainerConfig config();

    /** The container's sandbox on the host (holds {@code stdout} and {@code stderr}). */
    Path sandbox();

    /** The provisioned root filesystem, when the container has an image. */
    Optional<Path> rootfs();

    /**
     * A value an isolator that prepared earlier put here. Only isolators this one
     * {@link Isolator#REQUIRES requires} are guaranteed to have prepared already.
     */
    <T> Optional<T> get(ContextKey<T> key);

    /** Publishes a value for the isolators that prepare later. A key can be put once. */
    <T> void put(ContextKey<T> key, T value);

    /**
     * Checkpoints this isolator's state for the container, atomically and durably, stamped
     * with the isolator's name and {@link Isolator#VERSION version}. After a restart or an
     * upgrade, {@link Isolator#recover} gets it back through {@link RecoveredContainer#state()}.
     * A later call replaces the earlier state.
     */
    void checkpoint(byte[] state);
}
