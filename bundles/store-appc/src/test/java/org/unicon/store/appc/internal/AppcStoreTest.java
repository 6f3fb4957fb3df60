package org.unicon.store.appc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.layers.ExtractOptions;
import org.unicon.model.Image;
import org.unicon.model.ImageRuntimeConfig;
import org.unicon.model.ImageSummary;
import org.unicon.store.PullProgress;
import org.unicon.store.StoredImage;

/** Fetching single ACIs from a file:// prefix: the manifest, image IDs, labels and clear errors. */
class AppcStoreTest {
    @TempDir
    Path temp;
    Path acis;
    Path storeDir;
    AppcStore store;

    @BeforeEach
    void setUp() throws IOException {
        acis = Files.createDirectories(temp.resolve("acis"));
        storeDir = temp.resolve("store");
        store = new AppcStore(storeDir, SimpleDiscovery.parse(acis.toUri().toString()), ExtractOptions.defaults(),
                Clock.systemUTC());
    }

    @Test
    void theManifestsAppBecomesTheImagesRuntimeConfig() throws Exception {
        AciBuilder.image("example.com/web", "2.0.0").exec("/bin/httpd", "-f", "-p", "8080")
                .env("GREETING", "hello appc").env("PATH", "/bin").workingDirectory("/var")
                .user("65534", "65534").build(acis);

        StoredImage image = store.get(TestImages.appc("example.com/web", "version", "2.0.0"), PullProgress.none());

        assertEquals(ImageRuntimeConfig.newBuilder().addAllCmd(List.of("/bin/httpd", "-f", "-p", "8080"))
                .addEnv("GREETING=hello appc").addEnv("PATH=/bin").setWorkingDir("/var").setUser("65534:65534")
                .build(), image.config());
    }

    @Test
    void theRootfsIsTheLayerTheManifestIsKeptBesideItAndTheIdIsTheSha512OfTheTar() throws Exception {
        Path aci = AciBuilder.image("example.com/busybox", "1.35.0").exec("/bin/sh").build(acis);

        StoredImage image = store.get(TestImages.appc("example.com/busybox", "version", "1.35.0"), PullProgress.none());

        String id = AciBuilder.imageId(aci);
        assertEquals(List.of(storeDir.resolve("images").resolve(id).resolve("rootfs")), image.layers());
        Path layer = image.layers().get(0);
        assertTrue(Files.isExecutable(layer.resolve("bin/busybox")));
        assertEquals(Path.of("busybox"), Files.readSymbolicLink(layer.resolve("bin/sh")));
        assertFalse(Files.exists(layer.resolve("manifest")), "only rootfs/ is the layer");
        assertTrue(Files.readString(layer.resolveSibling("manifest")).contains("example.com/busybox"));
        ImageSummary summary = image.summary().orElseThrow();
        assertEquals(id, summary.getDigest());
        assertEquals("example.com/busybox,version=1.35.0,os=linux,arch=amd64", summary.getName());
        assertEquals(List.of(), list(storeDir.resolve("staging")), "nothing left in staging");
    }

    @Test
    void theRightImageIdIsAcceptedAndAWrongOneRefusedWithNothingStored() throws Exception {
        Path aci = AciBuilder.image("example.com/busybox", "1.35.0").exec("/bin/sh").build(acis);
        Image image = TestImages.appc("example.com/busybox", "version", "1.35.0");
        String wrong = "sha512-" + "0".repeat(128);

        Exception e = assertThrows(IOException.class, () -> store.get(TestImages.withId(image, wrong),
                PullProgress.none()));
        assertTrue(e.getMessage().contains("image ID mismatch: " + wrong + " was asked for, but the ACI at "
                + aci.toUri() + " is " + AciBuilder.imageId(aci)), e.getMessage());
        assertEquals(List.of(), list(storeDir.resolve("images")));
        assertEquals(List.of(), list(storeDir.resolve("staging")));
        assertEquals(List.of(), store.images());

        StoredImage pinned = store.get(TestImages.withId(image, AciBuilder.imageId(aci)), PullProgress.none());
        assertEquals(AciBuilder.imageId(aci), pinned.summary().orElseThrow().getDigest());
    }

    @Test
    void anImagePinnedToAStoredIdIsServedWithoutDiscovery() throws Exception {
        Path aci = AciBuilder.image("example.com/busybox", "1.35.0").exec("/bin/sh").build(acis);
        String id = AciBuilder.imageId(aci);
        Image image = TestImages.appc("example.com/busybox", "version", "1.35.0");
        StoredImage first = store.get(image, PullProgress.none());
        Files.delete(aci);

        StoredImage again = store.get(TestImages.withId(image, id).toBuilder().setCached(false).build(),
                PullProgress.none());

        assertEquals(first.layers(), again.layers());
    }

    @Test
    void aLabelThatDiffersFromTheManifestIsALabelMismatch() throws Exception {
        Path built = AciBuilder.image("example.com/busybox", "1.0.0").label("channel", "stable").exec("/bin/sh")
                .build(acis);
        Files.copy(built, acis.resolve("example.com/busybox-2.0.0-linux-amd64.aci"));

        Exception version = assertThrows(IOException.class, () -> store.get(
                TestImages.appc("example.com/busybox", "version", "2.0.0"), PullProgress.none()));
        assertTrue(version.getMessage().contains("label mismatch: it has version=1.0.0, but version=2.0.0 was asked"
                + " for"), version.getMessage());
        assertTrue(version.getMessage().contains(acis.toUri() + "example.com/busybox-2.0.0-linux-amd64.aci"),
                version.getMessage());

        Exception channel = assertThrows(IOException.class, () -> store.get(
                TestImages.appc("example.com/busybox", "version", "1.0.0", "channel", "beta"), PullProgress.none()));
        assertTrue(channel.getMessage().contains("label mismatch: it has channel=stable, but channel=beta was asked"
                + " for"), channel.getMessage());
        assertEquals(List.of(), list(storeDir.resolve("images")), "nothing mismatching is stored");
        assertEquals(List.of(), store.images());
    }

    @Test
    void anAciOfAnotherNameIsRefused() throws Exception {
        Path other = AciBuilder.image("example.com/other", "1.0.0").exec("/bin/sh").build(acis);
        Files.copy(other, acis.resolve("example.com/busybox-1.0.0-linux-amd64.aci"));

        Exception e = assertThrows(IOException.class, () -> store.get(
                TestImages.appc("example.com/busybox", "version", "1.0.0"), PullProgress.none()));
        assertTrue(e.getMessage().contains("it is named 'example.com/other', not 'example.com/busybox'"), e.getMessage());
    }

    @Test
    void versionDefaultsToLatestAndOsAndArchToThisHost() throws Exception {
        AciBuilder.image("example.com/busybox", "latest").exec("/bin/sh").build(acis);

        StoredImage image = store.get(TestImages.appc("example.com/busybox"), PullProgress.none());

        assertEquals("example.com/busybox,version=latest,os=linux,arch=amd64", image.summary().orElseThrow().getName());
    }

    @Test
    void anImageNotAtTheDiscoveredUriIsNotFoundNamingTheUri() throws Exception {
        Exception e = assertThrows(IOException.class, () -> store.get(
                TestImages.appc("example.com/nothere", "version", "3.1"), PullProgress.none()));
        assertEquals("appc image 'example.com/nothere,version=3.1,os=linux,arch=amd64' not found at "
                + acis.toUri() + "example.com/nothere-3.1-linux-amd64.aci (no such file)", e.getMessage());
    }

    @Test
    void malformedManifestsAreRefusedSayingWhatIsWrong() throws Exception {
        String good = AciTar.manifest("example.com/bad", "1");
        List<String[]> cases = List.of(
                new String[] {"{not json", "not JSON"},
                new String[] {"[]", "not a JSON object"},
                new String[] {good.replace("ImageManifest", "PodManifest"), "acKind is 'PodManifest', not 'ImageManifest'"},
                new String[] {good.replace("\"user\":\"0\",", ""), "user is missing"},
                new String[] {good.replace("\"/bin/sh\"", "\"sh\""), "app.exec[0] 'sh' is not an absolute path"},
                new String[] {good.replace("example.com/bad", "Example.com/Bad"), "name 'Example.com/Bad' is not an AC identifier"},
                new String[] {good.replace("\"labels\":[", "\"labels\":[{\"name\":\"os\",\"value\":\"linux\"},"),
                    "labels has 'os' twice"});
        for (String[] c : cases) {
            Path aci = new AciTar().file("manifest", c[0]).dir("rootfs").file("rootfs/hello", "hi")
                    .write(acis, "example.com/bad", "1");
            Exception e = assertThrows(IOException.class, () -> store.get(
                    TestImages.appc("example.com/bad", "version", "1"), PullProgress.none()));
            assertTrue(e.getMessage().startsWith("malformed manifest in the ACI at " + aci.toUri() + ": "),
                    e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), "'" + e.getMessage() + "' says " + c[1]);
        }
        assertEquals(List.of(), list(storeDir.resolve("images")));
        assertEquals(List.of(), list(storeDir.resolve("staging")));
    }

    @Test
    void anArchiveWithoutManifestOrRootfsIsNoAci() throws Exception {
        new AciTar().dir("rootfs").file("rootfs/hello", "hi").write(acis, "example.com/bad", "1");
        Exception noManifest = assertThrows(IOException.class, () -> store.get(
                TestImages.appc("example.com/bad", "version", "1"), PullProgress.none()));
        assertTrue(noManifest.getMessage().contains("the ACI has no manifest"), noManifest.getMessage());

        new AciTar().file("manifest", AciTar.manifest("example.com/bad", "1")).write(acis, "example.com/bad", "1");
        Exception noRootfs = assertThrows(IOException.class, () -> store.get(
                TestImages.appc("example.com/bad", "version", "1"), PullProgress.none()));
        assertTrue(noRootfs.getMessage().contains("the ACI has no rootfs directory"), noRootfs.getMessage());
    }

    @Test
    void plainAndBzip2AcisAreReadToo() throws Exception {
        Path aci = new AciTar().file("manifest", AciTar.manifest("example.com/plain", "1")).dir("rootfs")
                .file("rootfs/hello", "hi").write(acis, "example.com/plain", "1");
        byte[] tar;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(aci))) {
            tar = in.readAllBytes();
        }
        Files.write(aci, tar);
        Path bz = acis.resolve("example.com/plain-2-linux-amd64.aci");
        try (OutputStream out = new BZip2CompressorOutputStream(Files.newOutputStream(bz))) {
            out.write(new String(tar, StandardCharsets.ISO_8859_1).replace("\"value\":\"1\"", "\"value\":\"2\"")
                    .getBytes(StandardCharsets.ISO_8859_1));
        }

        StoredImage plain = store.get(TestImages.appc("example.com/plain", "version", "1"), PullProgress.none());
        StoredImage bzip2 = store.get(TestImages.appc("example.com/plain", "version", "2"), PullProgress.none());

        assertEquals("hi", Files.readString(plain.layers().get(0).resolve("hello")));
        assertEquals("hi", Files.readString(bzip2.layers().get(0).resolve("hello")));
    }

    @Test
    void badNamesAndLabelsAreRefusedBeforeTheyBecomeAUri() {
        for (Image image : List.of(TestImages.appc("example.com/../../etc"), TestImages.appc("/etc/passwd"),
                TestImages.appc("example.com/app", "version", "../../x"), TestImages.appc(""))) {
            Exception e = assertThrows(IllegalArgumentException.class, () -> store.get(image, PullProgress.none()));
            assertTrue(e.getMessage().contains("appc"), e.getMessage());
        }
    }

    static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
