package org.unicon.backend.copy.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.unicon.hostfs.TreeDeleter;
import org.unicon.hostfs.Unmounter;
import org.unicon.layers.LayerApplier;
import org.unicon.provisioner.ProvisionerBackend;

/**
 * The copy backend: the rootfs is a private copy of the layers, applied base first with the
 * shared {@link LayerApplier} (whiteouts delete, opaque directories clear, nothing is followed
 * out of the rootfs). Works on every filesystem and needs no mount; costs a full copy per
 * container. Destroy deletes the tree without following links or crossing mounts.
 */
final class CopyBackend implements ProvisionerBackend {

    private static final Logger LOG = System.getLogger(CopyBackend.class.getName());

    @Override
    public void provision(List<Path> layers, Path rootfs) throws IOException {
        for (int i = 0; i < layers.size(); i++) {
            if (!Files.isDirectory(layers.get(i))) {
                throw new IOException("layer " + (i + 1) + " of " + layers.size() + " (" + layers.get(i)
                        + ") is not a directory");
            }
        }
        checkEmptyDirectory(rootfs);
        for (int i = 0; i < layers.size(); i++) {
            try {
                LayerApplier.apply(layers.get(i), rootfs);
            } catch (IOException | RuntimeException e) {
                empty(rootfs);
                throw new IOException("cannot copy layer " + (i + 1) + " of " + layers.size() + " ("
                        + layers.get(i) + ") into rootfs " + rootfs + ": " + e.getMessage(), e);
            }
        }
        LOG.log(Level.INFO, "provisioned rootfs " + rootfs + " as a copy of " + layers.size() + " layers");
    }

    @Override
    public void destroy(Path rootfs) throws IOException {
        Unmounter.unmountAll(rootfs);
        TreeDeleter.delete(rootfs);
        LOG.log(Level.INFO, "destroyed copied rootfs " + rootfs);
    }

    /** Leaves {@code rootfs} as the core made it: an empty directory. */
    private static void empty(Path rootfs) throws IOException {
        try (Stream<Path> entries = Files.list(rootfs)) {
            for (Path entry : entries.toList()) {
                TreeDeleter.delete(entry);
            }
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
