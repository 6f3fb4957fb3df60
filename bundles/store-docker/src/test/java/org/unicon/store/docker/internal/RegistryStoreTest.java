package org.unicon.store.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.model.ImageSummary;
import org.unicon.store.PullProgress;
import org.unicon.store.StoredImage;

/**
 * Pulls from a real docker-registry (no auth): busybox pushed by skopeo as Docker schema 2 and
 * as OCI, a three-layer image, manifest lists / OCI indexes, tags that move.
 */
class RegistryStoreTest {
    @TempDir
    static Path shared;
    @TempDir
    Path temp;

    static RegistryProcess registry;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = RegistryProcess.start(shared.resolve("registry"), RegistryProcess.Mode.OPEN, null);
        Path archive = Commands.busyboxArchive(shared.resolve("archives"), "busybox:latest", false);
        Path plain = shared.resolve("busybox.tar");
        Files.copy(archive, plain);
        Commands.run("skopeo", "copy", "-q", "--dest-tls-verify=false", "--format", "v2s2",
                "docker-archive:" + plain, "docker://" + registry.host() + "/probe/busybox:docker");
        Commands.run("skopeo", "copy", "-q", "--dest-tls-verify=false", "--format", "oci",
                "docker-archive:" + plain, "docker://" + registry.host() + "/probe/busybox:oci");
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void pullsDockerSchema2() throws Exception {
        try (DockerStore store = TestStores.store(temp.resolve("store"), registry.url().toString())) {
            StoredImage s = store.get(TestStores.image(registry.host() + "/probe/busybox:docker"), PullProgress.none());
            assertEquals(1, s.layers().size());
            assertTrue(Files.isRegularFile(s.layers().get(0).resolve("bin/busybox")));
            assertTrue(Files.isSymbolicLink(s.layers().get(0).resolve("bin/sh")));
            assertEquals(List.of("sh"), s.config().getCmdList());
            assertEquals(List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), s.config().getEnvList());
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(temp.resolve("store"))), "only root reaches the layers");
        }
    }

    @Test
    void pullsOciAndSharesTheLayerWithTheDockerFlavour() throws Exception {
        try (DockerStore store = TestStores.store(temp.resolve("store"), registry.url().toString())) {
            StoredImage docker = store.get(TestStores.image(registry.host() + "/probe/busybox:docker"), PullProgress.none());
            org.unicon.testkit.store.ProgressRecorder progress = new org.unicon.testkit.store.ProgressRecorder();
            StoredImage oci = store.get(TestStores.image(registry.host() + "/probe/busybox:oci"), progress);
            assertEquals(docker.layers(), oci.layers(), "one uncompressed layer, stored once");
            assertTrue(progress.fetched().isEmpty(), "the layer was not fetched again: " + progress.fetched());
            assertEquals(2, store.images().size());
        }
    }

    @Test
    void pullsThreeLayersInOrderWithWhiteoutsInOverlayForm() throws Exception {
        ImageBuilder.Built b = ImageBuilder.image(false, "amd64", List.of(
                ImageBuilder.layer(Map.of("data/", new byte[0], "data/a.txt", "one".getBytes(), "data/gone.txt", "x".getBytes())),
                ImageBuilder.layer(Map.of("data/", new byte[0], "data/b.txt", "two".getBytes())),
                ImageBuilder.layer(Map.of("data/", new byte[0], "data/.wh.gone.txt", new byte[0], "data/a.txt", "three".getBytes()))),
                List.of("/bin/app"));
        Path layout = temp.resolve("layout");
        ImageBuilder.writeLayout(layout, "v1", b);
        Commands.run("skopeo", "copy", "-q", "--dest-tls-verify=false", "oci:" + layout + ":v1",
                "docker://" + registry.host() + "/probe/three:v1");
        try (DockerStore store = TestStores.store(temp.resolve("store"), registry.url().toString())) {
            StoredImage s = store.get(TestStores.image(registry.host() + "/probe/three:v1"), PullProgress.none());
            assertEquals(3, s.layers().size());
            assertEquals("one", Files.readString(s.layers().get(0).resolve("data/a.txt")));
            assertEquals("two", Files.readString(s.layers().get(1).resolve("data/b.txt")));
            assertEquals("three", Files.readString(s.layers().get(2).resolve("data/a.txt")));
            Path whiteout = s.layers().get(2).resolve("data/gone.txt");
            assertTrue(Files.exists(whiteout, LinkOption.NOFOLLOW_LINKS), "the whiteout is a node named gone.txt");
            assertFalse(Files.isRegularFile(whiteout, LinkOption.NOFOLLOW_LINKS), "... a device, not a file");
            assertFalse(Files.exists(s.layers().get(2).resolve("data/.wh.gone.txt")));
            assertEquals(List.of("/bin/app"), s.config().getCmdList());
            assertEquals("/work", s.config().getWorkingDir());
            assertEquals("1000:1000", s.config().getUser());
        }
    }

    @Test
    void selectsLinuxAmd64FromAnOciIndexAndADockerList() throws Exception {
        for (boolean docker : List.of(false, true)) {
            ImageBuilder.Built amd64 = ImageBuilder.image(docker, "amd64",
                    List.of(ImageBuilder.layer(Map.of("arch", "amd64".getBytes()))), List.of("x"));
            ImageBuilder.Built arm64 = ImageBuilder.image(docker, "arm64",
                    List.of(ImageBuilder.layer(Map.of("arch", "arm64".getBytes()))), List.of("x"));
            String repo = "probe/multi-" + (docker ? "docker" : "oci");
            ImageBuilder.push(registry.url(), repo, arm64.digest().toString(), arm64);
            ImageBuilder.push(registry.url(), repo, amd64.digest().toString(), amd64);
            ImageBuilder.pushManifest(registry.url(), repo, "latest", docker ? MediaTypes.DOCKER_LIST : MediaTypes.OCI_INDEX,
                    ImageBuilder.index(docker, List.of(arm64, amd64), List.of("linux/arm64/v8", "linux/amd64")));
            try (DockerStore store = TestStores.store(temp.resolve("store-" + docker), registry.url().toString())) {
                StoredImage s = store.get(TestStores.image(registry.host() + "/" + repo), PullProgress.none());
                assertEquals("amd64", Files.readString(s.layers().get(0).resolve("arch")), "docker=" + docker);
            }
        }
    }

    @Test
    void anIndexWithoutLinuxAmd64FailsListingWhatItOffers() throws Exception {
        ImageBuilder.Built arm64 = ImageBuilder.image(false, "arm64",
                List.of(ImageBuilder.layer(Map.of("arch", "arm64".getBytes()))), List.of("x"));
        ImageBuilder.Built ppc = ImageBuilder.image(false, "ppc64le",
                List.of(ImageBuilder.layer(Map.of("arch", "ppc".getBytes()))), List.of("x"));
        ImageBuilder.push(registry.url(), "probe/noamd", arm64.digest().toString(), arm64);
        ImageBuilder.push(registry.url(), "probe/noamd", ppc.digest().toString(), ppc);
        ImageBuilder.pushManifest(registry.url(), "probe/noamd", "latest", MediaTypes.OCI_INDEX,
                ImageBuilder.index(false, List.of(arm64, ppc), List.of("linux/arm64/v8", "linux/ppc64le")));
        try (DockerStore store = TestStores.store(temp.resolve("store"), registry.url().toString())) {
            String name = registry.host() + "/probe/noamd";
            Exception e = assertThrows(PullException.class, () -> store.get(TestStores.image(name), PullProgress.none()));
            assertEquals("image '" + name + "' has no linux/amd64 manifest; it offers linux/arm64/v8, linux/ppc64le",
                    e.getMessage());
            assertTrue(store.images().isEmpty());
        }
    }

    @Test
    void uncachedGetFollowsAMovedTagAndCachedGetDoesNot() throws Exception {
        String repo = "probe/moving";
        ImageBuilder.Built v1 = ImageBuilder.image(false, "amd64", List.of(ImageBuilder.layer(Map.of("v", "1".getBytes()))), List.of("x"));
        ImageBuilder.Built v2 = ImageBuilder.image(false, "amd64", List.of(ImageBuilder.layer(Map.of("v", "2".getBytes()))), List.of("x"));
        ImageBuilder.push(registry.url(), repo, "latest", v1);
        try (DockerStore store = TestStores.store(temp.resolve("store"), registry.url().toString())) {
            String name = registry.host() + "/" + repo;
            StoredImage first = store.get(TestStores.image(name), PullProgress.none());
            ImageBuilder.push(registry.url(), repo, "latest", v2);
            StoredImage cached = store.get(TestStores.image(name), PullProgress.none());
            assertEquals(first.layers(), cached.layers(), "a cached get does not ask the registry");
            StoredImage fresh = store.get(TestStores.uncached(TestStores.image(name)), PullProgress.none());
            assertNotEquals(first.layers(), fresh.layers());
            assertEquals("2", Files.readString(fresh.layers().get(0).resolve("v")));
            List<ImageSummary> images = store.images();
            assertEquals(1, images.size());
            assertEquals(v2.digest().toString(), images.get(0).getDigest());
            assertEquals(name + ":latest", images.get(0).getName());
        }
    }

    @Test
    void anImageThatDoesNotExistIsReportedAsNotFound() throws Exception {
        try (DockerStore store = TestStores.store(temp.resolve("store"), registry.url().toString())) {
            String name = registry.host() + "/probe/nothing:1.0";
            Exception e = assertThrows(PullException.class, () -> store.get(TestStores.image(name), PullProgress.none()));
            assertTrue(e.getMessage().startsWith("image '" + name + "' not found in registry " + registry.host()), e.getMessage());
        }
    }

    @Test
    void aReferenceWithoutHostUsesTheConfiguredRegistry() throws Exception {
        try (DockerStore store = TestStores.store(temp.resolve("store"), registry.url().toString())) {
            StoredImage s = store.get(TestStores.image("probe/busybox:docker"), PullProgress.none());
            assertTrue(Files.isRegularFile(s.layers().get(0).resolve("bin/busybox")));
            assertEquals("probe/busybox:docker", store.images().get(0).getName());
        }
    }
}
