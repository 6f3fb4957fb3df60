package org.unicon.store.appc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

import org.unicon.hostfs.TreeDeleter;
import org.unicon.layers.Digest;
import org.unicon.layers.ExtractOptions;
import org.unicon.layers.InvalidLayerException;
import org.unicon.layers.LayerExtractor;
import org.unicon.layers.StagingArea;
import org.unicon.store.PullProgress;

/**
 * Fetches one ACI into the store: download into a staging directory, extract {@code rootfs/}
 * with the layers library (every limit and check of a Docker layer) while computing the image
 * ID, read and check the manifest, then publish {@code images/<id>/} with one atomic rename.
 * Nothing is visible before all of that succeeded; on failure the staging directory is deleted.
 * Stateless apart from its collaborators; concurrent imports use distinct staging directories.
 */
final class AciImporter {
    private static final int CHUNK = 64 * 1024;
    private static final long PROGRESS_STEP = 256 * 1024;

    /** A verified ACI in the store. */
    record Imported(String id, AciManifest manifest) {}

    private final StoreLayout layout;
    private final StagingArea staging;
    private final SimpleDiscovery discovery;
    private final ExtractOptions options;

    AciImporter(StoreLayout layout, StagingArea staging, SimpleDiscovery discovery, ExtractOptions options) {
        this.layout = layout;
        this.staging = staging;
        this.discovery = discovery;
        this.options = options.withStripPrefix("rootfs/");
    }

    /**
     * Fetches the ACI of {@code wanted} from {@code uri}; {@code progress} hears of it under the
     * ACI's file name. Fails naming the image and the URI: not found, refused by the layers
     * library, another image ID than asked for, malformed manifest, name or label mismatch.
     */
    Imported fetch(AppcReference wanted, URI uri, PullProgress progress) throws IOException, InterruptedException {
        String key = uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1);
        String where = "the ACI at " + uri;
        Path work = staging.create("aci");
        try {
            Path file = work.resolve("image.aci");
            download(wanted, uri, file, key, progress);
            MessageDigest sha512 = Digest.newMessageDigest("sha512");
            try (InputStream raw = Files.newInputStream(file);
                 DigestInputStream tar = new DigestInputStream(AciArchive.uncompressed(raw), sha512)) {
                LayerExtractor.extract(tar, work.resolve("rootfs"), options);
                tar.transferTo(OutputStream.nullOutputStream());
            } catch (InvalidLayerException e) {
                throw new IOException("appc image '" + wanted + "': " + where + " is refused: " + e.getMessage(), e);
            }
            String id = "sha512-" + HexFormat.of().formatHex(sha512.digest());
            if (wanted.id().isPresent() && !wanted.id().get().equals(id)) {
                throw new IOException("appc image '" + wanted + "': image ID mismatch: " + wanted.id().get()
                        + " was asked for, but " + where + " is " + id);
            }
            AciArchive.Content content = AciArchive.read(file, where);
            AciManifest manifest = AciManifest.parse(content.manifest(), where);
            Optional<String> mismatch = manifest.mismatch(wanted);
            if (mismatch.isPresent()) {
                throw new IOException("appc image '" + wanted + "': " + where + " is not that image: " + mismatch.get());
            }
            Files.write(work.resolve("manifest"), content.manifest());
            Files.delete(file);
            staging.commit(work, layout.image(id));
            progress.done(key);
            return new Imported(id, manifest);
        } finally {
            if (Files.exists(work, LinkOption.NOFOLLOW_LINKS)) {
                TreeDeleter.delete(work);
            }
        }
    }

    /** Copies the ACI into {@code file}, at most as many bytes as a layer may expand to. */
    private void download(AppcReference wanted, URI uri, Path file, String key, PullProgress progress)
            throws IOException, InterruptedException {
        long max = options.limits().maxExpandedBytes();
        try (SimpleDiscovery.Source source = discovery.open(uri, wanted);
             OutputStream out = Files.newOutputStream(file)) {
            progress.layer(key, source.size(), false);
            byte[] buffer = new byte[CHUNK];
            long total = 0;
            long reported = 0;
            progress.progress(key, 0);
            for (int n = source.in().read(buffer); n >= 0; n = source.in().read(buffer)) {
                if (Thread.interrupted()) {
                    throw new InterruptedIOException("interrupted while fetching " + uri);
                }
                total += n;
                if (total > max) {
                    throw new IOException("appc image '" + wanted + "': " + uri + " is larger than " + max
                            + " bytes, the most an image may have");
                }
                out.write(buffer, 0, n);
                if (total - reported >= PROGRESS_STEP) {
                    progress.progress(key, total);
                    reported = total;
                }
            }
            progress.progress(key, total);
        }
    }
}
