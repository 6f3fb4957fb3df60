package org.unicon.store.appc.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.unicon.hostfs.TreeDeleter;
import org.unicon.layers.ExtractOptions;
import org.unicon.layers.StagingArea;
import org.unicon.model.Image;
import org.unicon.model.ImageSummary;
import org.unicon.store.ImageStore;
import org.unicon.store.PullProgress;
import org.unicon.store.StoredImage;
import org.unicon.store.appc.internal.ReferenceRecords.Reference;

/**
 * The appc image store (see {@link StoreLayout} for what lies where): ACIs found by
 * {@link SimpleDiscovery}, imported by {@link AciImporter}, their dependencies resolved into
 * lower layers (each dependency's own layers first, in the manifest's order, every ACI once).
 *
 * <p>Concurrency: fetches of one URI are joined (one download, every caller gets its result and
 * the progress from when it joined), also when the URI is a dependency of several images. Gets
 * hold a shared lock and {@link #prune} the exclusive one, so prune waits for gets under way and
 * no get sees a half-pruned store.
 */
public final class AppcStore implements ImageStore {
    /** How deep dependencies may nest: far beyond real images, short of a runaway chain. */
    static final int MAX_DEPENDENCY_DEPTH = 32;
    private static final System.Logger LOG = System.getLogger(AppcStore.class.getName());

    private record Fetch(CompletableFuture<AciImporter.Imported> result, ProgressFanout progress) {}

    private final StoreLayout layout;
    private final StagingArea staging;
    private final ReferenceRecords records;
    private final SimpleDiscovery discovery;
    private final AciImporter importer;
    private final Clock clock;
    private final ReentrantReadWriteLock pruneLock = new ReentrantReadWriteLock(true);
    private final Map<String, Fetch> fetches = new ConcurrentHashMap<>();
    /** ACIs imported since start (by URI), so that a get that just missed a fetch does not repeat it. */
    private final Map<String, AciImporter.Imported> fetched = new ConcurrentHashMap<>();
    private final Map<String, AciManifest> manifests = new ConcurrentHashMap<>();
    private final Map<String, Long> sizes = new ConcurrentHashMap<>();

    /**
     * @param storeDir  appc_store_dir
     * @param discovery from appc_simple_discovery_uri_prefix
     * @param options   limits for extracting an ACI's rootfs (the prefix is set here)
     */
    public AppcStore(Path storeDir, SimpleDiscovery discovery, ExtractOptions options, Clock clock) throws IOException {
        this.layout = new StoreLayout(storeDir);
        layout.create();
        this.staging = new StagingArea(layout.staging());
        this.records = new ReferenceRecords(layout);
        this.discovery = discovery;
        this.importer = new AciImporter(layout, staging, discovery, options);
        this.clock = clock;
    }

    @Override
    public StoredImage get(Image image, PullProgress progress) throws Exception {
        AppcReference reference = AppcReference.of(image);
        pruneLock.readLock().lockInterruptibly();
        try {
            resolve(reference, image.getCached(), progress, new ArrayList<>());
            Reference record = records.read(reference).orElseThrow(() ->
                    new IOException("appc image '" + reference + "': its record could not be read back"));
            return stored(record);
        } finally {
            pruneLock.readLock().unlock();
        }
    }

    /**
     * The layers of {@code reference} (image IDs, base first) after fetching what is missing, and
     * its record written. {@code chain} holds the images that depend on it (their keys).
     */
    private List<String> resolve(AppcReference reference, boolean cached, PullProgress progress, List<String> chain)
            throws IOException, InterruptedException {
        if (chain.contains(reference.key())) {
            throw new IOException("appc image '" + chain.get(0) + "': its dependencies form a cycle: "
                    + String.join(" -> ", chain) + " -> " + reference.key());
        }
        if (chain.size() >= MAX_DEPENDENCY_DEPTH) {
            throw new IOException("appc image '" + chain.get(0) + "': its dependencies nest deeper than "
                    + MAX_DEPENDENCY_DEPTH + " (" + String.join(" -> ", chain) + ")");
        }
        if (cached) {
            Optional<Reference> record = records.read(reference);
            if (record.isPresent() && complete(record.get())) {
                record.get().layers().forEach(id -> progress.layer(progressKey(id), -1, true));
                return record.get().layers();
            }
        }
        String id = obtain(reference, cached, progress);
        AciManifest manifest = manifest(id);
        if (manifest.hasPathWhitelist()) {
            LOG.log(System.Logger.Level.WARNING, "appc image ''{0}'': its pathWhitelist is ignored (as in Mesos)",
                    reference);
        }
        chain.add(reference.key());
        Set<String> layers = new LinkedHashSet<>();
        for (AppcReference dependency : manifest.dependencies()) {
            try {
                layers.addAll(resolve(dependency, true, progress, chain));
            } catch (IOException e) {
                throw new IOException("appc image '" + reference + "' depends on '" + dependency + "': "
                        + e.getMessage(), e);
            }
        }
        chain.remove(chain.size() - 1);
        layers.add(id);
        Reference record = new Reference(reference, id, List.copyOf(layers), clock.millis());
        records.write(record);
        LOG.log(System.Logger.Level.INFO, "appc image ''{0}'' stored: {1}, {2} layers", reference, id, layers.size());
        return record.layers();
    }

    /** The image ID of {@code reference}: stored already when pinned by ID, else fetched once. */
    private String obtain(AppcReference reference, boolean cached, PullProgress progress)
            throws IOException, InterruptedException {
        if (reference.id().isPresent() && Files.isDirectory(layout.image(reference.id().get()))) {
            progress.layer(progressKey(reference.id().get()), -1, true);
            return reference.id().get();
        }
        URI uri = discovery.locate(reference);
        String key = uri.toString();
        AciImporter.Imported done = fetched.get(key);
        if (cached && done != null && Files.isDirectory(layout.image(done.id())) && fits(done, reference)) {
            progress.layer(progressKey(done.id()), -1, true);
            return done.id();
        }
        Fetch mine = new Fetch(new CompletableFuture<>(), new ProgressFanout(progress));
        Fetch running = fetches.putIfAbsent(key, mine);
        if (running != null) {
            running.progress().add(progress);
            AciImporter.Imported imported = join(running.result());
            if (!fits(imported, reference)) {
                throw new IOException("appc image '" + reference + "': the ACI at " + uri + " is not that image: "
                        + imported.manifest().mismatch(reference).orElse("it is " + imported.id()));
            }
            return imported.id();
        }
        try {
            AciImporter.Imported imported = importer.fetch(reference, uri, mine.progress());
            fetched.put(key, imported);
            manifests.put(imported.id(), imported.manifest());
            mine.result().complete(imported);
            return imported.id();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            mine.result().completeExceptionally(e);
            throw e;
        } finally {
            fetches.remove(key, mine);
        }
    }

    /** Whether an imported ACI is what {@code reference} asks for (ID, name, labels). */
    private static boolean fits(AciImporter.Imported imported, AppcReference reference) {
        return reference.id().map(imported.id()::equals).orElse(true)
                && imported.manifest().mismatch(reference).isEmpty();
    }

    @Override
    public List<ImageSummary> images() throws IOException {
        List<ImageSummary> out = new ArrayList<>();
        for (Reference r : records.all()) {
            out.add(summary(r));
        }
        return out;
    }

    /** Clears what interrupted fetches and prunes left in staging, and half-written records. */
    @Override
    public void recover() throws IOException {
        staging.clear();
        records.clearTemporaries();
    }

    @Override
    public void prune(List<Image> excluded, Set<Path> layersInUse) throws IOException, InterruptedException {
        Set<String> keep = new HashSet<>();
        for (Image image : excluded) {
            if (!image.hasAppc()) {
                continue;
            }
            try {
                keep.add(AppcReference.of(image).key());
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "prune: ignoring excluded image: {0}", e.getMessage());
            }
        }
        Set<String> referenced = new HashSet<>();
        layersInUse.forEach(path -> layout.idOfLayer(path).ifPresent(referenced::add));
        pruneLock.writeLock().lockInterruptibly();
        try {
            int images = 0;
            for (Reference r : records.all()) {
                if (keep.contains(r.reference().key())) {
                    referenced.addAll(r.layers());
                } else {
                    records.delete(r.reference());
                    images++;
                }
            }
            int layers = 0;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.images())) {
                for (Path dir : ds) {
                    String id = dir.getFileName().toString();
                    if (referenced.contains(id) || !AppcReference.IMAGE_ID.matcher(id).matches()) {
                        continue;
                    }
                    Path trash = staging.create("prune");
                    Files.move(dir, trash.resolve(id), StandardCopyOption.ATOMIC_MOVE);
                    manifests.remove(id);
                    sizes.remove(id);
                    TreeDeleter.delete(trash);
                    layers++;
                }
            }
            fetched.clear();
            LOG.log(System.Logger.Level.INFO, "pruned {0} appc images and {1} ACIs", images, layers);
        } finally {
            pruneLock.writeLock().unlock();
        }
    }

    private boolean complete(Reference r) {
        return r.layers().stream().allMatch(id -> Files.isDirectory(layout.rootfs(id)));
    }

    /** The manifest of a stored ACI, read once. */
    private AciManifest manifest(String id) throws IOException {
        AciManifest known = manifests.get(id);
        if (known != null) {
            return known;
        }
        AciManifest read = AciManifest.parse(Files.readAllBytes(layout.manifest(id)), "stored ACI " + id);
        manifests.put(id, read);
        return read;
    }

    private StoredImage stored(Reference r) throws IOException {
        return StoredImage.of(r.layers().stream().map(layout::rootfs).toList(), manifest(r.id()).runtimeConfig(),
                summary(r));
    }

    /** What {@code unicon images} shows; the size of each ACI on disk is measured once. */
    private ImageSummary summary(Reference r) throws IOException {
        long size = 0;
        for (String id : r.layers()) {
            Long s = sizes.get(id);
            Path rootfs = layout.rootfs(id);
            if (s == null && Files.isDirectory(rootfs)) {
                s = TreeSize.of(rootfs);
                sizes.put(id, s);
            }
            size += s == null ? 0 : s;
        }
        return ImageSummary.newBuilder().setType(Image.Type.APPC).setName(r.reference().toString())
                .setDigest(r.id()).setSize(size).setLayers(r.layers().size()).setPulledMillis(r.pulledMillis())
                .build();
    }

    /** Progress names an ACI like a digest ({@code sha512:<hex>}), which clients shorten. */
    private static String progressKey(String id) {
        return id.replaceFirst("-", ":");
    }

    private static AciImporter.Imported join(CompletableFuture<AciImporter.Imported> f)
            throws IOException, InterruptedException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a fetch under way");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof InterruptedException ie) {
                throw new InterruptedIOException("the fetch this one waited for was interrupted: " + ie.getMessage());
            }
            throw new IOException(e.getCause().toString(), e.getCause());
        }
    }
}
