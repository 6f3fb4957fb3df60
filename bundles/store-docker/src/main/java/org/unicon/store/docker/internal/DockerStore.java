package org.unicon.store.docker.internal;

import org.unicon.hostfs.TreeDeleter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.unicon.layers.Digest;
import org.unicon.layers.ExtractOptions;
import org.unicon.layers.StagingArea;
import org.unicon.model.Image;
import org.unicon.model.ImageSummary;
import org.unicon.model.Secret;
import org.unicon.store.ImageStore;
import org.unicon.store.PullProgress;
import org.unicon.store.StoredImage;

/**
 * The Docker image store (see {@link StoreLayout} for what lies where).
 *
 * <p>Concurrency: pulls of one reference are joined (one fetch, every caller gets its result
 * and the progress from when it joined); layers are fetched by a pool of
 * {@link #PARALLEL_LAYERS} threads and deduplicated by DiffID across images
 * ({@link LayerFetcher}). Pulls hold a shared lock and {@link #prune} the exclusive one, so
 * prune waits for pulls under way and no pull sees a half-pruned store.
 */
public final class DockerStore implements ImageStore, AutoCloseable {
    static final int PARALLEL_LAYERS = 3;
    private static final int LAYER_ATTEMPTS = 3;
    private static final System.Logger LOG = System.getLogger(DockerStore.class.getName());

    private record Pull(CompletableFuture<StoredImage> result, ProgressFanout progress) {}

    private final StoreLayout layout;
    private final StagingArea staging;
    private final ImageRecords records;
    private final LayerFetcher fetcher;
    private final ImageSource defaultSource;
    private final RegistrySource hostSource;
    private final RegistryCredentials credentials;
    private final Clock clock;
    private final ExecutorService layerPool;
    private final ReentrantReadWriteLock pruneLock = new ReentrantReadWriteLock(true);
    private final Map<String, Pull> pulls = new ConcurrentHashMap<>();
    private final Map<Path, Long> layerSizes = new ConcurrentHashMap<>();

    /**
     * @param storeDir    docker_store_dir
     * @param registry    docker_registry: an http(s) URL, or an absolute directory of archives
     * @param credentials from docker_config
     */
    public DockerStore(Path storeDir, String registry, RegistryCredentials credentials, RetryPolicy retry,
                       Clock clock) throws IOException {
        this.layout = new StoreLayout(storeDir);
        layout.create();
        this.staging = new StagingArea(layout.staging());
        this.records = new ImageRecords(layout);
        this.fetcher = new LayerFetcher(layout, staging, ExtractOptions.defaults(), LAYER_ATTEMPTS);
        this.credentials = credentials;
        this.clock = clock;
        RegistryClient client = new RegistryClient(retry, clock);
        if (registry.startsWith("/")) {
            this.defaultSource = new ArchiveDirectory(Path.of(registry));
            this.hostSource = new RegistrySource(client, null);
        } else {
            RegistrySource configured = new RegistrySource(client, RegistryTarget.parseRegistryUrl(registry));
            this.defaultSource = configured;
            this.hostSource = configured;
        }
        AtomicInteger n = new AtomicInteger();
        this.layerPool = Executors.newFixedThreadPool(PARALLEL_LAYERS, r -> {
            Thread t = new Thread(r, "unicon-docker-layer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public StoredImage get(Image image, PullProgress progress) throws Exception {
        if (!image.hasDocker() || image.getDocker().getName().isEmpty()) {
            throw new IllegalArgumentException("a Docker image needs docker.name");
        }
        ImageReference ref = ImageReference.parse(image.getDocker().getName());
        String name = ref.name();
        RegistryCredentials creds = credentials.overriddenBy(perImageCredentials(image, name));
        pruneLock.readLock().lockInterruptibly();
        try {
            if (image.getCached()) {
                ImageRecords.ImageRecord r = records.read(name);
                if (complete(r)) {
                    for (Digest l : r.layers()) {
                        progress.layer(l.toString(), -1, true);
                    }
                    return stored(r);
                }
            }
            Pull mine = new Pull(new CompletableFuture<>(), new ProgressFanout());
            mine.progress().add(progress);
            Pull running = pulls.putIfAbsent(name, mine);
            if (running != null) {
                running.progress().add(progress);
                return join(running.result());
            }
            try {
                StoredImage s = pull(ref, image.getDocker().getName(), creds, mine.progress());
                mine.result().complete(s);
                return s;
            } catch (Exception | Error e) {
                mine.result().completeExceptionally(e);
                throw e;
            } finally {
                pulls.remove(name, mine);
            }
        } finally {
            pruneLock.readLock().unlock();
        }
    }

    /** @param shown the reference as the user wrote it, for messages */
    private StoredImage pull(ImageReference ref, String shown, RegistryCredentials creds, LayerProgress progress)
            throws IOException, InterruptedException {
        String name = ref.name();
        ImageSource source = ref.registry() != null ? hostSource : defaultSource;
        try (ImageSource.Resolution resolution = source.resolve(ref, creds, shown)) {
            ImageRecords.ImageRecord old = records.read(name);
            Optional<Digest> current = resolution.digest();
            if (complete(old) && current.isPresent() && current.get().equals(old.digest())) {
                LOG.log(System.Logger.Level.INFO, "image ''{0}'' is unchanged ({1})", name, old.digest());
                reportCached(old, progress);
                return stored(old);
            }
            ImageSource.ResolvedImage resolved = resolution.load();
            List<Future<Digest>> futures = new ArrayList<>();
            for (ImageSource.LayerSource layer : resolved.layers()) {
                futures.add(layerPool.submit(() -> fetcher.fetch(layer, progress, shown)));
            }
            List<Digest> layers = new ArrayList<>();
            IOException failure = null;
            for (Future<Digest> f : futures) {
                try {
                    layers.add(f.get());
                } catch (ExecutionException e) {
                    IOException cause = e.getCause() instanceof IOException io ? io
                            : new PullException("image '" + shown + "': " + e.getCause(), e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            ImageRecords.ImageRecord r = new ImageRecords.ImageRecord(name, resolved.digest(), List.copyOf(layers),
                    resolved.runtime(), clock.millis());
            records.write(r);
            LOG.log(System.Logger.Level.INFO, "image ''{0}'' stored: {1}, {2} layers", name, r.digest(), layers.size());
            return stored(r);
        }
    }

    @Override
    public List<ImageSummary> images() throws IOException {
        List<ImageSummary> out = new ArrayList<>();
        for (ImageRecords.ImageRecord r : records.all()) {
            out.add(summary(r));
        }
        return out;
    }

    /** What `unicon images` shows for a record; layer sizes are measured once and remembered. */
    private ImageSummary summary(ImageRecords.ImageRecord r) throws IOException {
        long size = 0;
        for (Digest l : r.layers()) {
            Path p = layout.layer(l);
            Long s = layerSizes.get(p);
            if (s == null && Files.isDirectory(p)) {
                s = Trees.size(p);
                layerSizes.put(p, s);
            }
            size += s == null ? 0 : s;
        }
        return ImageSummary.newBuilder().setType(Image.Type.DOCKER).setName(r.name())
                .setDigest(r.digest().toString()).setSize(size).setLayers(r.layers().size())
                .setPulledMillis(r.pulledMillis()).build();
    }

    /** Clears what interrupted pulls and prunes left in staging, and half-written records. */
    @Override
    public void recover() throws IOException {
        staging.clear();
        records.clearTemporaries();
    }

    @Override
    public void prune(List<Image> excluded, Set<Path> layersInUse) throws IOException, InterruptedException {
        Set<String> keep = new HashSet<>();
        for (Image i : excluded) {
            if (i.hasDocker() && !i.getDocker().getName().isEmpty()) {
                try {
                    keep.add(ImageReference.parse(i.getDocker().getName()).name());
                } catch (IllegalArgumentException e) {
                    LOG.log(System.Logger.Level.WARNING, "prune: ignoring excluded image: {0}", e.getMessage());
                }
            }
        }
        Set<Path> referenced = new HashSet<>();
        for (Path p : layersInUse) {
            referenced.add(p.toAbsolutePath().normalize());
        }
        pruneLock.writeLock().lockInterruptibly();
        try {
            int images = 0;
            for (ImageRecords.ImageRecord r : records.all()) {
                if (keep.contains(r.name())) {
                    r.layers().forEach(l -> referenced.add(layout.layer(l)));
                } else {
                    records.delete(r.name());
                    images++;
                }
            }
            int layers = 0;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.layers())) {
                for (Path dir : ds) {
                    if (referenced.contains(dir) || !isLayerName(dir)) {
                        continue;
                    }
                    Path trash = staging.create("prune");
                    Files.move(dir, trash.resolve(dir.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                    layerSizes.remove(dir);
                    TreeDeleter.delete(trash);
                    layers++;
                }
            }
            LOG.log(System.Logger.Level.INFO, "pruned {0} images and {1} layers", images, layers);
        } finally {
            pruneLock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        layerPool.shutdownNow();
    }

    private static boolean isLayerName(Path dir) {
        try {
            Digest.parseFileName(dir.getFileName().toString());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private boolean complete(ImageRecords.ImageRecord r) {
        return r != null && r.layers().stream().allMatch(l -> Files.isDirectory(layout.layer(l)));
    }

    private StoredImage stored(ImageRecords.ImageRecord r) throws IOException {
        return StoredImage.of(r.layers().stream().map(layout::layer).toList(), r.runtime(), summary(r));
    }

    private static void reportCached(ImageRecords.ImageRecord r, LayerProgress progress) {
        for (Digest l : r.layers()) {
            progress.layer(l.toString(), -1, true);
        }
    }

    /** The Marathon pullConfig case: Docker config JSON in the image's own secret. */
    private static RegistryCredentials perImageCredentials(Image image, String name) throws PullException {
        if (!image.getDocker().hasConfig()) {
            return RegistryCredentials.NONE;
        }
        Secret s = image.getDocker().getConfig();
        if (s.getType() == Secret.Type.REFERENCE || !s.hasValue()) {
            throw new PullException("image '" + name + "': its pull config is a secret reference"
                    + (s.hasReference() ? " ('" + s.getReference().getName() + "')" : "")
                    + ", which the Docker store cannot resolve; pass the Docker config JSON as a value");
        }
        return RegistryCredentials.parse(s.getValue().getData().toString(StandardCharsets.UTF_8),
                "the pull config of image '" + name + "'");
    }

    private static StoredImage join(CompletableFuture<StoredImage> f) throws Exception {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a pull under way");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }
}
