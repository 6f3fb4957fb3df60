package org.unicon.backend.overlay.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.unicon.hostfs.TreeDeleter;
import org.unicon.hostfs.Unmounter;
import org.unicon.provisioner.ProvisionerBackend;

/**
 * The aufs backend, present so that auto-selection (overlay, then aufs, then copy, as in Mesos)
 * and {@code provisioner_image_backend=aufs} get a precise answer. It never provisions: without
 * aufs in the kernel there is nothing to mount, and with it the stored layers would still be in
 * overlay form (0/0 character-device whiteouts, {@code trusted.overlay.opaque}), which aufs does
 * not read — it expects {@code .wh.} files. Destroy still cleans up whatever sits at a rootfs.
 */
final class AufsBackend implements ProvisionerBackend {

    private final KernelFilesystems kernel;

    AufsBackend(KernelFilesystems kernel) {
        this.kernel = kernel;
    }

    @Override
    public Optional<String> unavailable(Path storeDirectory) {
        if (!kernel.has("aufs")) {
            return Optional.of("the kernel has no aufs (not listed in /proc/filesystems)");
        }
        return Optional.of("layers are stored in overlay form (0/0 whiteouts, trusted.overlay.opaque),"
                + " which aufs does not read; use the overlay or copy backend");
    }

    @Override
    public void provision(List<Path> layers, Path rootfs) throws IOException {
        throw new IOException("cannot provision " + rootfs + " with aufs: " + unavailable(rootfs).orElseThrow());
    }

    @Override
    public void destroy(Path rootfs) throws IOException {
        Unmounter.unmountAll(rootfs);
        TreeDeleter.delete(rootfs);
    }
}
