package org.unicon.store.appc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.layers.ExtractOptions;
import org.unicon.model.Image;
import org.unicon.store.PullProgress;
import org.unicon.store.StoredImage;
import org.unicon.testkit.store.ProgressRecorder;

/** Simple discovery over HTTP from a real server on 127.0.0.1: errors, and each ACI fetched once. */
class HttpDiscoveryTest {
    private static final String BUSYBOX = "/example.com/busybox-1.35.0-linux-amd64.aci";

    @TempDir
    Path temp;
    Path acis;
    AciServer server;
    AppcStore store;

    @BeforeEach
    void setUp() throws Exception {
        acis = Files.createDirectories(temp.resolve("acis"));
        AciBuilder.image("example.com/busybox", "1.35.0").exec("/bin/sh").build(acis);
        server = new AciServer(acis);
        store = new AppcStore(temp.resolve("store"), SimpleDiscovery.parse(server.prefix()), ExtractOptions.defaults(),
                Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void anImageTheServerDoesNotHaveIsNotFoundNamingTheUri() {
        Exception e = assertThrows(IOException.class, () -> store.get(
                TestImages.appc("example.com/nothere", "version", "1"), PullProgress.none()));
        assertEquals("appc image 'example.com/nothere,version=1,os=linux,arch=amd64' not found at " + server.prefix()
                + "example.com/nothere-1-linux-amd64.aci (HTTP 404)", e.getMessage());
    }

    @Test
    void anUnreachableServerIsNamed() throws Exception {
        server.close();
        String prefix = server.prefix();
        AppcStore unreachable = new AppcStore(temp.resolve("store2"), SimpleDiscovery.parse(prefix),
                ExtractOptions.defaults(), Clock.systemUTC());
        Exception e = assertThrows(IOException.class, () -> unreachable.get(
                TestImages.appc("example.com/busybox", "version", "1.35.0"), PullProgress.none()));
        assertTrue(e.getMessage().startsWith("appc image 'example.com/busybox,version=1.35.0,os=linux,arch=amd64':"
                + " cannot fetch " + prefix + "example.com/busybox-1.35.0-linux-amd64.aci"), e.getMessage());
    }

    @Test
    void concurrentGetsOfOneImageDownloadItOnce() throws Exception {
        Image image = TestImages.appc("example.com/busybox", "version", "1.35.0");
        List<StoredImage> results = getConcurrently(List.of(image, image, image, image));

        for (StoredImage s : results) {
            assertEquals(results.get(0).layers(), s.layers());
        }
        assertEquals(1, server.requests(BUSYBOX), "one download for four gets");
    }

    @Test
    void aDependencySharedByImagesFetchedConcurrentlyIsDownloadedOnce() throws Exception {
        for (String app : List.of("one", "two", "three")) {
            AciBuilder.image("example.com/" + app, "1").withoutBusybox().file(app, app)
                    .dependsOn("example.com/busybox", null, "version", "1.35.0").exec("/bin/sh").build(acis);
        }
        List<StoredImage> results = getConcurrently(List.of(TestImages.appc("example.com/one", "version", "1"),
                TestImages.appc("example.com/two", "version", "1"), TestImages.appc("example.com/three", "version", "1")));

        for (StoredImage s : results) {
            assertEquals(results.get(0).layers().get(0), s.layers().get(0), "one busybox layer for all");
        }
        assertEquals(1, server.requests(BUSYBOX));
        for (String app : List.of("one", "two", "three")) {
            assertEquals(1, server.requests("/example.com/" + app + "-1-linux-amd64.aci"));
        }
    }

    /** Gets every image at once while the server holds its answers, so that the fetches overlap. */
    private List<StoredImage> getConcurrently(List<Image> images) throws Exception {
        server.hold();
        CountDownLatch started = new CountDownLatch(images.size());
        ExecutorService pool = Executors.newFixedThreadPool(images.size());
        try {
            List<Future<StoredImage>> futures = new ArrayList<>();
            for (Image image : images) {
                futures.add(pool.submit(() -> {
                    started.countDown();
                    return store.get(image, new ProgressRecorder());
                }));
            }
            assertTrue(started.await(60, TimeUnit.SECONDS));
            assertTrue(server.awaitFirstRequest(), "a fetch reached the server");
            server.release();
            List<StoredImage> results = new ArrayList<>();
            for (Future<StoredImage> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            server.release();
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
    }
}
