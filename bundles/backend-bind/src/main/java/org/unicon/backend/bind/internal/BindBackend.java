package org.unicon.backend.bind.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.unicon.hostfs.TreeDeleter;
import org.unicon.hostfs.Unmounter;
import org.unicon.provisioner.ProvisionerBackend;

/**
 * The bind backend: the rootfs is the image's single stored layer, bind-mounted read-only (as
 * in Mesos, paths the container writes to must be volumes). It is never chosen automatically.
 * The mount is made a slave and then shared, so a mount made inside the rootfs (a volume, /proc)
 * never propagates back into the layer in the store, while mounts still reach containers.
 */
final class BindBackend implements ProvisionerBackend {

    private static final Logger LOG = System.getLogger(BindBackend.class.getName());

    @Override
    public Optional<String> unavailable(Path storeDirectory) {
        return LibC.INSTANCE.geteuid() == 0 ? Optional.empty() : Optional.of("bind mounts need root");
    }

    @Override
    public void provision(List<Path> layers, Path rootfs) throws IOException {
        if (layers.size() != 1) {
            throw new IOException("the bind backend mounts exactly one layer, but the image has " + layers.size()
                    + " layers; use the copy or overlay backend (provisioner_image_backend) for this image");
        }
        Path layer = layers.get(0);
        if (!Files.isDirectory(layer)) {
            throw new IOException("layer 1 of 1 (" + layer + ") is not a directory");
        }
        checkEmptyDirectory(rootfs);
        mount(layer.toString(), rootfs, LibC.MS_BIND, "bind-mount layer " + layer + " on");
        try {
            mount("none", rootfs, LibC.MS_REMOUNT | LibC.MS_BIND | LibC.MS_RDONLY, "make read-only");
            mount("none", rootfs, LibC.MS_SLAVE, "make a slave mount of");
            mount("none", rootfs, LibC.MS_SHARED, "make a shared mount of");
        } catch (IOException | RuntimeException e) {
            Unmounter.unmountAll(rootfs);
            throw e;
        }
        LOG.log(Level.INFO, "provisioned rootfs " + rootfs + " as a read-only bind mount of " + layer);
    }

    @Override
    public void destroy(Path rootfs) throws IOException {
        Unmounter.unmountAll(rootfs);
        TreeDeleter.delete(rootfs);
        LOG.log(Level.INFO, "destroyed bind rootfs " + rootfs);
    }

    private static void mount(String source, Path target, long flags, String what) throws IOException {
        if (LibC.INSTANCE.mount(source, target.toString(), null, flags, null) != 0) {
            throw new IOException("cannot " + what + " rootfs " + target + ": " + LibC.describe(LibC.errno()));
        }
    }

    private static void checkEmptyDirectory(Path rootfs) throws IOException {
        if (!Files.isDirectory(rootfs, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("rootfs " + rootfs + " is not a directory");
        }
        try (Stream<Path> entries = Files.list(rootfs)) {
            if (entries.findAny().isPresent()) {
                throw new IOException("rootfs " + rootfs + " is not empty (already provisioned?)");
            }
        }
    }
}
