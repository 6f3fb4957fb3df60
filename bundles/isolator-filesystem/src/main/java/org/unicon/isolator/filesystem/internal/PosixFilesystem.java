package org.unicon.isolator.filesystem.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.RecoveredContainer;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;

/**
 * {@code filesystem/posix}: the container runs in the host's filesystem, in its sandbox; its
 * volumes are symlinks in the sandbox ({@link SandboxLinks}). It changes nothing in the launch:
 * the core already makes the sandbox the working directory. A container with an image needs
 * filesystem/linux, and is refused with that message.
 */
final class PosixFilesystem implements Isolator {
    private final SandboxLinks links = new SandboxLinks();

    @Override
    public void recover(List<RecoveredContainer> containers, Set<ContainerID> orphans) {
        links.recover(containers);
    }

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) throws Exception {
        if (container.rootfs().isPresent()) {
            throw new IllegalArgumentException("the container has an image, which filesystem/posix cannot give it"
                    + " a root filesystem from; configure filesystem/linux in isolation instead");
        }
        refuseHostname(container.config());
        links.prepare(container);
        return Optional.empty();
    }

    @Override
    public void cleanup(ContainerID id) throws Exception {
        links.cleanup(id);
    }

    /** A hostname needs a UTS namespace, which only filesystem/linux gives, and only with an image. */
    static void refuseHostname(ContainerConfig config) {
        if (config.getContainerInfo().hasHostname()) {
            throw new IllegalArgumentException("hostname '" + config.getContainerInfo().getHostname() + "' needs a"
                    + " UTS namespace of the container's own, which filesystem/linux gives containers with an"
                    + " image; this container has none");
        }
    }
}
