package org.unicon.store.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.layers.Digest;
import org.unicon.store.PullProgress;
import org.unicon.store.StoredImage;
import org.unicon.testkit.store.ProgressRecorder;

/**
 * Faults during pulls: each leaves a clear error, a store without a trace of the failed image
 * (no record, no partial layer, empty staging) and lets a later pull succeed. Faults a real
 * registry does not produce (wrong bytes, short blobs, 500s, cross-host redirects) come from
 * {@link FaultProxy} in front of the real registry; the crash is a real SIGKILL of it.
 */
class RegistryFaultTest {
    @TempDir
    static Path shared;
    @TempDir
    Path temp;

    static RegistryProcess registry;
    static Digest busyboxLayer;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryProcess.start(shared.resolve("registry"), RegistryProcess.Mode.OPEN, null);
        Path archive = Commands.busyboxArchive(shared.resolve("archives"), "busybox:latest", false);
        Path plain = shared.resolve("busybox.tar");
        Files.copy(archive, plain);
        for (String repo : List.of("probe/busybox", "probe/other")) {
            Commands.run("skopeo", "copy", "-q", "--dest-tls-verify=false", "docker-archive:" + plain,
                    "docker://" + registry.host() + "/" + repo + ":latest");
        }
        String inspect = Commands.run("skopeo", "inspect", "--tls-verify=false", "docker://" + registry.host() + "/probe/busybox");
        busyboxLayer = Digest.parse(inspect.replaceAll("(?s).*\"Layers\": \\[\\s*\"([^\"]+)\".*", "$1"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    private void assertNothingOf(Path store) throws Exception {
        assertEquals(List.of(), TestStores.list(store.resolve("images")), "no image record");
        assertEquals(List.of(), TestStores.list(store.resolve("layers")), "no layer");
        assertEquals(List.of(), TestStores.list(store.resolve("staging")), "nothing left in staging");
    }

    @Test
    void wrongBytesInABlobAreRejectedAndNothingIsStored() throws Exception {
        // A registry serving other bytes than the digest says (disk corruption, a hostile mirror): proxy fault.
        try (FaultProxy proxy = FaultProxy.in(registry.url());
             DockerStore store = TestStores.store(temp.resolve("store"), proxy.url().toString())) {
            proxy.corruptBlobs = true;
            String name = proxy.host() + "/probe/busybox";
            Exception e = assertThrows(PullException.class, () -> store.get(TestStores.image(name), PullProgress.none()));
            assertTrue(e.getMessage().contains("does not match its digest"), e.getMessage());
            assertTrue(e.getMessage().contains("of image '" + name + "'"), e.getMessage());
            assertNothingOf(temp.resolve("store"));
            assertEquals(1, proxy.countMatching("GET", "/blobs/sha256:"), "a digest mismatch is not retried");

            proxy.corruptBlobs = false;
            StoredImage s = store.get(TestStores.image(name), PullProgress.none());
            assertTrue(Files.isRegularFile(s.layers().get(0).resolve("bin/busybox")));
        }
    }

    @Test
    void aShortBlobIsRejectedAndNothingIsStored() throws Exception {
        // A registry that sends half a blob with a matching Content-Length: proxy fault.
        try (FaultProxy proxy = FaultProxy.in(registry.url());
             DockerStore store = TestStores.store(temp.resolve("store"), proxy.url().toString())) {
            proxy.truncateBlobs = true;
            String name = proxy.host() + "/probe/busybox";
            Exception e = assertThrows(PullException.class, () -> store.get(TestStores.image(name), PullProgress.none()));
            assertTrue(e.getMessage().contains("bytes but its descriptor says"), e.getMessage());
            assertNothingOf(temp.resolve("store"));
            proxy.truncateBlobs = false;
            assertFalse(store.get(TestStores.image(name), PullProgress.none()).layers().isEmpty());
        }
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() throws Exception {
        // Two 500s, then the real answer: proxy fault.
        try (FaultProxy proxy = FaultProxy.in(registry.url());
             DockerStore store = TestStores.store(temp.resolve("store"), proxy.url().toString())) {
            proxy.blobFailures.set(2);
            StoredImage s = store.get(TestStores.image(proxy.host() + "/probe/busybox"), PullProgress.none());
            assertTrue(Files.isRegularFile(s.layers().get(0).resolve("bin/busybox")));
            assertEquals(2 + 2, proxy.countMatching("GET", "/blobs/"), "two 500s, then the config and the layer");
        }
    }

    @Test
    void persistentServerErrorsGiveUpAfterTheAttemptsAndALaterPullWorks() throws Exception {
        try (FaultProxy proxy = FaultProxy.in(registry.url());
             DockerStore store = TestStores.store(temp.resolve("store"), proxy.url().toString())) {
            proxy.failureStatus = 503;
            proxy.blobFailures.set(1000);
            String name = proxy.host() + "/probe/busybox";
            Exception e = assertThrows(PullException.class, () -> store.get(TestStores.image(name), PullProgress.none()));
            assertTrue(e.getMessage().contains("answered 503"), e.getMessage());
            assertEquals(TestStores.QUICK.attempts(), proxy.countMatching("GET", "/blobs/"), "the config blob, tried 3 times");
            assertNothingOf(temp.resolve("store"));
            proxy.blobFailures.set(0);
            assertFalse(store.get(TestStores.image(name), PullProgress.none()).layers().isEmpty());
        }
    }

    @Test
    void notFoundIsNotRetried() throws Exception {
        try (FaultProxy proxy = FaultProxy.in(registry.url());
             DockerStore store = TestStores.store(temp.resolve("store"), proxy.url().toString())) {
            String name = proxy.host() + "/probe/absent:1";
            assertThrows(PullException.class, () -> store.get(TestStores.image(name), PullProgress.none()));
            assertEquals(1, proxy.count("HEAD /v2/probe/absent/manifests/1"));
            assertEquals(0, proxy.count("GET /v2/probe/absent/manifests/1"));
        }
    }

    @Test
    void twoConcurrentPullsOfOneImageDownloadItOnce() throws Exception {
        try (FaultProxy proxy = FaultProxy.in(registry.url());
             DockerStore store = TestStores.store(temp.resolve("store"), proxy.url().toString())) {
            List<StoredImage> results = pullConcurrently(store, proxy.host() + "/probe/busybox", proxy.host() + "/probe/busybox");
            assertEquals(results.get(0).layers(), results.get(1).layers());
            assertEquals(1, proxy.count("GET /v2/probe/busybox/blobs/" + busyboxLayer), "the layer was downloaded once");
            assertEquals(1, proxy.countMatching("HEAD", "/manifests/"), "the tag was resolved once");
        }
    }

    @Test
    void twoImagesSharingALayerPulledConcurrentlyDownloadItOnce() throws Exception {
        try (FaultProxy proxy = FaultProxy.in(registry.url());
             DockerStore store = TestStores.store(temp.resolve("store"), proxy.url().toString())) {
            List<StoredImage> results = pullConcurrently(store, proxy.host() + "/probe/busybox", proxy.host() + "/probe/other");
            assertEquals(results.get(0).layers(), results.get(1).layers());
            assertEquals(1, proxy.countMatching("GET", "/blobs/" + busyboxLayer), "one download across both images");
            assertEquals(2, store.images().size());
        }
    }

    private static List<StoredImage> pullConcurrently(DockerStore store, String a, String b) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<StoredImage>> fs = new ArrayList<>();
            for (String name : List.of(a, b)) {
                fs.add(pool.submit(() -> {
                    start.await();
                    return store.get(TestStores.image(name), PullProgress.none());
                }));
            }
            start.countDown();
            return List.of(fs.get(0).get(), fs.get(1).get());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
    }

    @Test
    void redirectsToAnotherHostNeverCarryTheAuthorization() throws Exception {
        // The registry redirects blob downloads to another host (as registries do to object storage):
        // the front proxy asks for Basic credentials, the blob host must never see them.
        try (RegistryProcess basic = RegistryProcess.start(temp.resolve("basic"), RegistryProcess.Mode.BASIC, null)) {
            Path plain = temp.resolve("busybox.tar");
            Files.copy(Commands.busyboxArchive(temp.resolve("archives"), "busybox:latest", false), plain);
            Commands.run("skopeo", "copy", "-q", "--dest-tls-verify=false", "--dest-creds",
                    RegistryProcess.USER + ":" + RegistryProcess.PASSWORD, "docker-archive:" + plain,
                    "docker://" + basic.host() + "/probe/busybox:latest");
            try (FaultProxy blobHost = FaultProxy.in(registry.url());
                 FaultProxy front = FaultProxy.in(basic.url())) {
                front.redirectBlobsTo = java.net.URI.create("http://localhost:" + blobHost.port());
                String config = TestStores.auths(front.host(), RegistryProcess.USER, RegistryProcess.PASSWORD);
                try (DockerStore store = TestStores.store(temp.resolve("store"), front.url().toString(), config)) {
                    StoredImage s = store.get(TestStores.image(front.host() + "/probe/busybox"), PullProgress.none());
                    assertTrue(Files.isRegularFile(s.layers().get(0).resolve("bin/busybox")));
                }
                assertTrue(front.authorizations().stream().anyMatch(h -> h.startsWith("Basic ")), "the registry got credentials");
                assertTrue(blobHost.countMatching("GET", "/blobs/") >= 2, "config and layer came from the blob host");
                assertTrue(blobHost.authorizations().stream().allMatch(h -> h.equals("none")),
                        "no Authorization crossed to the other host: " + blobHost.authorizations());
            }
        }
    }

    @Test
    void aManifestOtherThanTheOneTheTagPointsAtIsRejected() throws Exception {
        // The manifest body differs from the digest HEAD announced: proxy fault (tampering in transit).
        try (FaultProxy proxy = FaultProxy.in(registry.url());
             DockerStore store = TestStores.store(temp.resolve("store"), proxy.url().toString())) {
            proxy.manifestRewrite = m -> m.replace("\"schemaVersion\"", " \"schemaVersion\"");
            String name = proxy.host() + "/probe/busybox";
            Exception e = assertThrows(PullException.class, () -> store.get(TestStores.image(name), PullProgress.none()));
            assertTrue(e.getMessage().matches("manifest sha256:\\p{XDigit}{64} of image '.*' does not match its digest: .*"),
                    e.getMessage());
            assertNothingOf(temp.resolve("store"));
        }
    }

    @Test
    void aRedirectLoopEndsAfterTenHops() throws Exception {
        // A registry redirecting blob requests to themselves: proxy fault.
        try (FaultProxy proxy = FaultProxy.in(registry.url());
             DockerStore store = TestStores.store(temp.resolve("store"), proxy.url().toString())) {
            proxy.redirectBlobsTo = proxy.url();
            String name = proxy.host() + "/probe/busybox";
            Exception e = assertThrows(PullException.class, () -> store.get(TestStores.image(name), PullProgress.none()));
            assertTrue(e.getMessage().startsWith("registry " + proxy.host() + " redirected more than 10 times"), e.getMessage());
            assertEquals(1 + RegistryClient.MAX_REDIRECTS, proxy.countMatching("GET", "/blobs/"));
            assertNothingOf(temp.resolve("store"));
        }
    }

    @Test
    void foreignLayerUrlsAreNeverFetched() throws Exception {
        // A manifest whose layer is a foreign layer hosted elsewhere: proxy fault (rewritten manifest).
        try (FaultProxy proxy = FaultProxy.in(registry.url());
             FaultProxy elsewhere = FaultProxy.in(registry.url());
             DockerStore store = TestStores.store(temp.resolve("store"), proxy.url().toString())) {
            proxy.hideManifestDigest = true;
            proxy.manifestRewrite = m -> m.replace("\"application/vnd.docker.image.rootfs.diff.tar.gzip\"",
                    "\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\",\"urls\":[\"" + elsewhere.url() + "/layer\"]");
            String name = proxy.host() + "/probe/busybox";
            Exception e = assertThrows(PullException.class, () -> store.get(TestStores.image(name), PullProgress.none()));
            assertTrue(e.getMessage().contains("is a foreign layer hosted at " + elsewhere.url() + "/layer; foreign layers are not fetched"),
                    e.getMessage());
            assertEquals(0, elsewhere.authorizations().size(), "nothing was asked from the foreign host");
        }
    }

    @Test
    void aDigestThatIsNotADigestNeverBecomesAPath() throws Exception {
        // A manifest naming a layer "sha256:../../../escape": proxy fault (a registry would not store it).
        try (FaultProxy proxy = FaultProxy.in(registry.url());
             DockerStore store = TestStores.store(temp.resolve("store"), proxy.url().toString())) {
            proxy.hideManifestDigest = true;
            proxy.manifestRewrite = m -> m.replace(busyboxLayer.toString(), "sha256:../../../escape");
            String name = proxy.host() + "/probe/busybox";
            Exception e = assertThrows(PullException.class, () -> store.get(TestStores.image(name), PullProgress.none()));
            assertTrue(e.getMessage().contains("invalid digest 'sha256:../../../escape'"), e.getMessage());
            assertFalse(Files.exists(temp.resolve("escape")));
            assertEquals(0, proxy.countMatching("GET", "escape"), "never requested");
            assertNothingOf(temp.resolve("store"));
        }
    }

    @Test
    void aRegistryKilledMidPullLeavesAnIntactStoreAndALaterPullSucceeds() throws Exception {
        // 32 MiB of incompressible data, so the registry is still sending when it dies.
        byte[] big = new byte[32 << 20];
        new Random(42).nextBytes(big);
        ImageBuilder.Built image = ImageBuilder.image(false, "amd64", List.of(
                ImageBuilder.layer(Map.of("small", "s".getBytes())),
                ImageBuilder.layer(Map.of("big", big))), List.of("x"));
        ImageBuilder.push(registry.url(), "probe/big", "latest", image);
        String name = registry.host() + "/probe/big";
        Path dir = temp.resolve("store");
        AtomicBoolean killed = new AtomicBoolean();
        ProgressRecorder killer = new ProgressRecorder() {
            @Override
            public void progress(String digest, long bytes) {
                super.progress(digest, bytes);
                if (digest.equals(image.layers().get(1).toString()) && killed.compareAndSet(false, true)) {
                    try {
                        registry.kill();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (DockerStore store = TestStores.store(dir, registry.url().toString())) {
            Exception e = assertThrows(PullException.class, () -> store.get(TestStores.image(name), killer));
            assertTrue(killed.get());
            assertTrue(e.getMessage().contains("image '" + name + "'"), e.getMessage());
            assertEquals(List.of(), TestStores.list(dir.resolve("images")), "no record");
            assertEquals(List.of(), TestStores.list(dir.resolve("staging")), "no partial layer");
            for (String layer : TestStores.list(dir.resolve("layers"))) {
                assertFalse(layer.equals(Digest.parse(
                        "sha256:" + RegistryClient.sha256(ImageBuilder.layer(Map.of("big", big))).hex()).fileName()),
                        "the big layer is not in the store");
            }
        } finally {
            if (killed.get()) {
                registry.launch();
            }
        }
        try (DockerStore store = TestStores.store(dir, registry.url().toString())) {
            store.recover();
            StoredImage s = store.get(TestStores.image(name), PullProgress.none());
            assertEquals(big.length, Files.size(s.layers().get(1).resolve("big")));
        }
    }
}
