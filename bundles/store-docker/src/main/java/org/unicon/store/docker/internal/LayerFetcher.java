package org.unicon.store.docker.internal;

import org.unicon.hostfs.TreeDeleter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import org.unicon.layers.Digest;
import org.unicon.layers.ExtractOptions;
import org.unicon.layers.Extracted;
import org.unicon.layers.InvalidLayerException;
import org.unicon.layers.LayerExtractor;
import org.unicon.layers.StagingArea;

/**
 * Brings one layer into the store: streams it into a fresh staging directory, extracting while
 * it arrives, verifies the blob (digest, size) and the uncompressed DiffID against the image
 * config, and only then commits it (fsync, atomic rename) to {@code layers/<diff_id>}. A layer
 * already stored is never fetched again; concurrent requests for one layer share one fetch.
 * A transfer that breaks off is started again from scratch (up to {@code attempts} times);
 * bytes that fail verification are never retried.
 */
final class LayerFetcher {
    private static final System.Logger LOG = System.getLogger(LayerFetcher.class.getName());
    private static final long PROGRESS_STEP = 256 * 1024;

    private final StoreLayout layout;
    private final StagingArea staging;
    private final ExtractOptions options;
    private final int attempts;
    private final ConcurrentHashMap<Digest, CompletableFuture<Digest>> inflight = new ConcurrentHashMap<>();

    LayerFetcher(StoreLayout layout, StagingArea staging, ExtractOptions options, int attempts) {
        this.layout = layout;
        this.staging = staging;
        this.options = options;
        this.attempts = attempts;
    }

    /** The DiffID under which the layer is stored once this returns. */
    Digest fetch(ImageSource.LayerSource layer, LayerProgress progress, String image) throws IOException {
        Digest want = layer.diffId();
        if (want == null) {
            return download(layer, progress, image);
        }
        if (Files.isDirectory(layout.layer(want))) {
            progress.layer(layer.id(), layer.size(), true);
            return want;
        }
        CompletableFuture<Digest> mine = new CompletableFuture<>();
        CompletableFuture<Digest> running = inflight.putIfAbsent(want, mine);
        if (running != null) {
            progress.layer(layer.id(), layer.size(), false);
            Digest d = join(running);
            progress.done(layer.id());
            return d;
        }
        try {
            Digest d;
            if (Files.isDirectory(layout.layer(want))) {
                progress.layer(layer.id(), layer.size(), true);
                d = want;
            } else {
                d = download(layer, progress, image);
            }
            mine.complete(d);
            return d;
        } catch (IOException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inflight.remove(want, mine);
        }
    }

    private Digest download(ImageSource.LayerSource layer, LayerProgress progress, String image) throws IOException {
        progress.layer(layer.id(), layer.size(), false);
        String what = "layer " + layer.id() + " of image '" + image + "'";
        for (int attempt = 1; ; attempt++) {
            Path staged = staging.create("layer");
            try {
                Extracted x;
                long[] reported = {0};
                try (InputStream raw = layer.open(n -> {
                        if (n - reported[0] >= PROGRESS_STEP || n == layer.size()) {
                            reported[0] = n;
                            progress.progress(layer.id(), n);
                        }
                    });
                     InputStream in = new BufferedInputStream(raw, 65536)) {
                    x = LayerExtractor.extract(in, staged, options);
                    in.transferTo(OutputStream.nullOutputStream());
                }
                if (layer.diffId() != null && !x.diffId().equals(layer.diffId())) {
                    throw new BlobVerificationException(what + " is corrupt: its content hashes to " + x.diffId()
                            + " but the image config says " + layer.diffId());
                }
                if (!staging.commit(staged, layout.layer(x.diffId()))) {
                    LOG.log(System.Logger.Level.DEBUG, "{0} was stored meanwhile by another pull", what);
                }
                staged = null;
                progress.done(layer.id());
                return x.diffId();
            } catch (IOException e) {
                PullException verification = cause(e, BlobVerificationException.class);
                if (verification != null) {
                    throw verification;
                }
                if (e instanceof PullException p) {
                    throw p;
                }
                if (e instanceof InvalidLayerException) {
                    throw new PullException(what + " cannot be unpacked: " + e.getMessage(), e);
                }
                if (e instanceof InterruptedIOException || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                if (attempt >= attempts) {
                    throw new PullException(what + " could not be fetched (" + attempts + " attempts): " + e.getMessage(), e);
                }
                LOG.log(System.Logger.Level.INFO, "{0}: transfer broke off ({1}), starting again", what, e.toString());
            } finally {
                if (staged != null) {
                    TreeDeleter.delete(staged);
                }
            }
        }
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Digest join(CompletableFuture<Digest> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a layer another pull fetches");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new PullException(String.valueOf(e.getCause().getMessage()), e.getCause());
        }
    }
}
