package org.unicon.backend.overlay.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.unicon.hostfs.TreeDeleter;
import org.unicon.hostfs.Unmounter;
import org.unicon.provisioner.ProvisionerBackend;

/**
 * The overlay backend: the rootfs is an overlay mount whose lowerdirs are the stored layers
 * (already in overlay form: 0/0 whiteouts, {@code trusted.overlay.opaque}), with the upper and
 * work directories in {@code <rootfs>.overlay/} beside the rootfs, inside the directory the core
 * gives each container. Layers are never written: all changes land in the upper directory.
 */
final class OverlayBackend implements ProvisionerBackend {

    /** The kernel's limit on lower layers (OVL_MAX_STACK). */
    static final int MAX_LAYERS = 500;

    private static final Logger LOG = System.getLogger(OverlayBackend.class.getName());

    private final KernelFilesystems kernel;
    private final OverlayMounter mounter;
    private final LayerWhiteouts layerWhiteouts = new LayerWhiteouts();

    OverlayBackend() {
        this(KernelFilesystems.read(), KernelRelease.current().atLeast(6, 8)
                ? new MountApiOverlay() : new ShortLinkOverlay());
    }

    OverlayBackend(KernelFilesystems kernel, OverlayMounter mounter) {
        this.kernel = kernel;
        this.mounter = mounter;
    }

    @Override
    public Optional<String> unavailable(Path storeDirectory) {
        if (LibC.INSTANCE.geteuid() != 0) {
            return Optional.of("mounting overlayfs needs root");
        }
        if (!kernel.has("overlay")) {
            return Optional.of("the kernel has no overlay filesystem (not listed in /proc/filesystems)");
        }
        return StoreFilesystem.unsuitable(storeDirectory);
    }

    @Override
    public void provision(List<Path> layers, Path rootfs) throws IOException {
        checkLayers(layers);
        checkEmptyDirectory(rootfs);
        Path scratch = scratchOf(rootfs);
        TreeDeleter.delete(scratch);
        try {
            Files.createDirectory(scratch);
            Files.setAttribute(scratch, "unix:mode", 0700);
            Path upper = Files.createDirectory(scratch.resolve("upper"));
            Path work = Files.createDirectory(scratch.resolve("work"));
            // The merged root takes its owner and mode from the upper directory.
            copyOwnerAndMode(layers.get(layers.size() - 1), upper);
            mounter.mount(layers, upper, work, rootfs);
            List<Path> whiteouts = new ArrayList<>();
            for (Path layer : layers) {
                whiteouts.addAll(layerWhiteouts.of(layer));
            }
            Set<Path> copiedUp = PhantomWhiteouts.hide(rootfs, whiteouts);
            if (!copiedUp.isEmpty()) {
                LOG.log(Level.INFO, "rootfs " + rootfs + ": copied up " + copiedUp.size()
                        + " single-layer directories holding whiteouts, so that overlay hides them");
            }
        } catch (IOException | RuntimeException e) {
            Unmounter.unmountAll(rootfs);
            TreeDeleter.delete(scratch);
            throw e;
        }
        LOG.log(Level.INFO, "provisioned rootfs " + rootfs + " as an overlay of " + layers.size() + " layers");
    }

    @Override
    public void destroy(Path rootfs) throws IOException {
        Unmounter.unmountAll(rootfs);
        TreeDeleter.delete(rootfs);
        TreeDeleter.delete(scratchOf(rootfs));
        LOG.log(Level.INFO, "destroyed overlay rootfs " + rootfs);
    }

    /** Where the upper and work directories of {@code rootfs} live: beside it. */
    static Path scratchOf(Path rootfs) {
        Path absolute = rootfs.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + ".overlay");
    }

    static void checkLayers(List<Path> layers) throws IOException {
        if (layers.isEmpty()) {
            throw new IOException("an overlay needs at least one layer; the image has none");
        }
        if (layers.size() > MAX_LAYERS) {
            throw new IOException("the image has " + layers.size() + " layers, more than the " + MAX_LAYERS
                    + " overlayfs can stack (a kernel limit); use the copy backend"
                    + " (provisioner_image_backend=copy) for this image");
        }
        for (int i = 0; i < layers.size(); i++) {
            if (!Files.isDirectory(layers.get(i))) {
                throw new IOException("layer " + (i + 1) + " of " + layers.size() + " (" + layers.get(i)
                        + ") is not a directory");
            }
        }
    }

    static void checkEmptyDirectory(Path rootfs) throws IOException {
        if (!Files.isDirectory(rootfs, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("rootfs " + rootfs + " is not a directory");
        }
        try (Stream<Path> entries = Files.list(rootfs)) {
            if (entries.findAny().isPresent()) {
                throw new IOException("rootfs " + rootfs + " is not empty (already provisioned?)");
            }
        }
    }

    private static void copyOwnerAndMode(Path from, Path to) throws IOException {
        Files.setAttribute(to, "unix:uid", Files.getAttribute(from, "unix:uid"), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(to, "unix:gid", Files.getAttribute(from, "unix:gid"), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(to, "unix:mode", (Integer) Files.getAttribute(from, "unix:mode") & 07777);
    }
}
