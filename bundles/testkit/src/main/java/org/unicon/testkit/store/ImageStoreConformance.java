package org.unicon.testkit.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.model.Image;
import org.unicon.model.ImageSummary;
import org.unicon.store.ImageStore;
import org.unicon.store.StoredImage;

/**
 * What every {@link ImageStore} must do, whatever its image type and source. Extend it in the
 * store's tests and say how to make a store and which image it can fetch:
 *
 * <pre>
 * class MyStoreConformanceTest extends ImageStoreConformance {
 *     protected ImageStore createStore(Path dir) { return new MyStore(dir, source); }
 *     protected Image image() { ... }
 *     protected Image missingImage() { ... }
 * }
 * </pre>
 *
 * The suite checks fetching into layer directories, the read-through cache, concurrent gets
 * of one image, {@code images()}, {@code cached=false}, restarts, {@code prune} and, as a crash
 * test, that a copy of the store directory taken in the middle of a fetch never shows a
 * half-fetched image and becomes whole after {@code recover()} and another get. It needs
 * {@code cp} (GNU coreutils) for that copy. Stores that are {@link AutoCloseable} are closed
 * after each test.
 */
public abstract class ImageStoreConformance {

    /** A new store keeping its data under {@code storeDir}, which may hold what an earlier store left. */
    protected abstract ImageStore createStore(Path storeDir) throws Exception;

    /** An image that stores made by {@link #createStore} can fetch (with {@code cached} true). */
    protected abstract Image image();

    /** An image that does not exist where the store looks. */
    protected abstract Image missingImage();

    @TempDir
    protected Path temp;

    private final List<ImageStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() throws Exception {
        for (ImageStore s : opened) {
            if (s instanceof AutoCloseable c) {
                c.close();
            }
        }
    }

    /** Makes a store over {@code dir}, closed after the test. */
    protected final ImageStore store(Path dir) throws Exception {
        ImageStore s = createStore(dir);
        opened.add(s);
        return s;
    }

    @Test
    void getFetchesTheImageIntoLayerDirectories() throws Exception {
        Path dir = temp.resolve("store");
        ProgressRecorder progress = new ProgressRecorder();
        StoredImage s = store(dir).get(image(), progress);
        assertFalse(s.layers().isEmpty(), "an image has at least one layer");
        for (Path layer : s.layers()) {
            assertTrue(Files.isDirectory(layer), layer + " is a directory");
            assertTrue(layer.toAbsolutePath().normalize().startsWith(dir.toAbsolutePath().normalize()),
                    layer + " lies in the store directory " + dir);
        }
        assertFalse(progress.layers().isEmpty(), "the fetch reported its layers");
        for (String d : progress.fetched()) {
            assertTrue(progress.done().contains(d), "layer " + d + " was reported as fetched, then done");
        }
    }

    @Test
    void secondGetIsServedFromTheStore() throws Exception {
        ImageStore store = store(temp.resolve("store"));
        StoredImage first = store.get(image(), new ProgressRecorder());
        ProgressRecorder progress = new ProgressRecorder();
        StoredImage second = store.get(image(), progress);
        assertEquals(first.layers(), second.layers());
        assertEquals(first.config(), second.config());
        assertTrue(progress.fetched().isEmpty(), "nothing fetched again, but " + progress.fetched());
    }

    @Test
    void concurrentGetsOfOneImageShareTheResult() throws Exception {
        ImageStore store = store(temp.resolve("store"));
        int n = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<StoredImage>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return store.get(image(), new ProgressRecorder());
                }));
            }
            start.countDown();
            StoredImage first = results.get(0).get();
            for (Future<StoredImage> f : results) {
                assertEquals(first.layers(), f.get().layers());
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
        assertEquals(1, store.images().size(), "one image listed: " + store.images());
    }

    @Test
    void imagesListsWhatWasFetched() throws Exception {
        ImageStore store = store(temp.resolve("store"));
        assertTrue(store.images().isEmpty());
        StoredImage s = store.get(image(), new ProgressRecorder());
        List<ImageSummary> images = store.images();
        assertEquals(1, images.size());
        ImageSummary i = images.get(0);
        assertEquals(image().getType(), i.getType());
        assertFalse(i.getName().isEmpty(), "the summary names the image");
        assertFalse(i.getDigest().isEmpty(), "the summary has the digest the image resolved to");
        assertEquals(s.layers().size(), i.getLayers());
        assertTrue(i.getSize() > 0, "size of the layers on disk");
    }

    @Test
    void missingImageFailsNamingIt() throws Exception {
        ImageStore store = store(temp.resolve("store"));
        Exception e = assertThrows(Exception.class, () -> store.get(missingImage(), new ProgressRecorder()));
        String name = name(missingImage());
        assertTrue(String.valueOf(e.getMessage()).contains(name), "'" + e.getMessage() + "' names " + name);
        assertTrue(store.images().isEmpty());
    }

    @Test
    void uncachedGetResolvesAgainAndKeepsTheLayers() throws Exception {
        ImageStore store = store(temp.resolve("store"));
        StoredImage first = store.get(image(), new ProgressRecorder());
        StoredImage again = store.get(image().toBuilder().setCached(false).build(), new ProgressRecorder());
        assertEquals(first.layers(), again.layers());
        assertEquals(1, store.images().size());
    }

    @Test
    void aNewStoreOverTheSameDirectoryKeepsTheImages() throws Exception {
        Path dir = temp.resolve("store");
        StoredImage first = store(dir).get(image(), new ProgressRecorder());
        ImageStore restarted = store(dir);
        restarted.recover();
        assertEquals(1, restarted.images().size());
        ProgressRecorder progress = new ProgressRecorder();
        assertEquals(first.layers(), restarted.get(image(), progress).layers());
        assertTrue(progress.fetched().isEmpty(), "nothing fetched after a restart, but " + progress.fetched());
    }

    @Test
    void pruneRemovesImagesNotExcludedAndLayersNotInUse() throws Exception {
        ImageStore store = store(temp.resolve("store"));
        StoredImage s = store.get(image(), new ProgressRecorder());

        store.prune(List.of(image()), Set.of());
        assertEquals(1, store.images().size(), "an excluded image stays");
        s.layers().forEach(l -> assertTrue(Files.isDirectory(l), l + " stays"));

        store.prune(List.of(), Set.copyOf(s.layers()));
        assertTrue(store.images().isEmpty(), "the image is gone from the list");
        s.layers().forEach(l -> assertTrue(Files.isDirectory(l), l + " stays while in use"));

        store.prune(List.of(), Set.of());
        s.layers().forEach(l -> assertFalse(Files.exists(l), l + " is removed"));

        StoredImage again = store.get(image(), new ProgressRecorder());
        again.layers().forEach(l -> assertTrue(Files.isDirectory(l), l + " is back after another get"));
    }

    @Test
    void aCrashInTheMiddleOfAFetchLeavesNothingHalfVisible() throws Exception {
        Path dir = temp.resolve("store");
        Path crashed = temp.resolve("crashed");
        AtomicBoolean taken = new AtomicBoolean();
        ProgressRecorder progress = new ProgressRecorder() {
            @Override
            public synchronized void progress(String digest, long bytes) {
                super.progress(digest, bytes);
                snapshot();
            }

            @Override
            public synchronized void done(String digest) {
                super.done(digest);
                snapshot();
            }

            /** At the first byte count (mid-layer), or when a store reports none, at the first finished layer. */
            private void snapshot() {
                if (taken.compareAndSet(false, true)) {
                    copy(dir, crashed);
                }
            }
        };
        StoredImage complete = store(dir).get(image(), progress);
        assertTrue(taken.get(), "the store reported progress during the fetch");

        ImageStore afterCrash = store(crashed);
        assertTrue(afterCrash.images().isEmpty(), "a half-fetched image is not listed: " + afterCrash.images());
        afterCrash.recover();
        StoredImage recovered = afterCrash.get(image(), new ProgressRecorder());
        assertEquals(complete.layers().size(), recovered.layers().size());
        for (int i = 0; i < complete.layers().size(); i++) {
            assertEquals(Trees.describe(complete.layers().get(i)), Trees.describe(recovered.layers().get(i)),
                    "layer " + i + " is whole after recover() and another get");
        }
    }

    /** The name a message about {@code image} must contain. */
    protected String name(Image image) {
        return image.hasDocker() ? image.getDocker().getName() : image.getAppc().getName();
    }

    /** What a crash leaves: a copy of the directory as it is at this moment (cp -a keeps devices, xattrs, links). */
    private static void copy(Path from, Path to) {
        try {
            Process p = new ProcessBuilder("cp", "-a", from.toString(), to.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run cp -a: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
