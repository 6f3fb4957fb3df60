package org.unicon.store.appc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.layers.ExtractOptions;
import org.unicon.layers.LayerApplier;
import org.unicon.model.Image;
import org.unicon.model.ImageSummary;
import org.unicon.store.PullProgress;
import org.unicon.store.StoredImage;

/** Dependent ACIs: dependencies become lower layers, in order, each ACI once. */
class DependenciesTest {
    @TempDir
    Path temp;
    Path acis;
    Path storeDir;
    AppcStore store;
    Path base;

    @BeforeEach
    void setUp() throws Exception {
        acis = Files.createDirectories(temp.resolve("acis"));
        storeDir = temp.resolve("store");
        store = new AppcStore(storeDir, SimpleDiscovery.parse(acis.toUri().toString()), ExtractOptions.defaults(),
                Clock.systemUTC());
        base = AciBuilder.image("example.com/busybox", "1.35.0").exec("/bin/sh").env("FROM", "base")
                .file("etc/motd", "base").build(acis);
    }

    @Test
    void aDependencyIsTheLowerLayerAndTheImagesOwnAppIsUsed() throws Exception {
        AciBuilder.image("example.com/hello", "1.0.0").withoutBusybox()
                .dependsOn("example.com/busybox", null, "version", "1.35.0")
                .file("app/hello", "echo hello").file("etc/motd", "hello").exec("/bin/sh", "/app/hello").build(acis);

        StoredImage image = store.get(TestImages.appc("example.com/hello", "version", "1.0.0"), PullProgress.none());

        assertEquals(2, image.layers().size());
        assertTrue(Files.isExecutable(image.layers().get(0).resolve("bin/busybox")), "the base is the lower layer");
        assertTrue(Files.exists(image.layers().get(1).resolve("app/hello")), "the image's own rootfs is on top");
        assertEquals(List.of("/bin/sh", "/app/hello"), image.config().getCmdList());
        assertEquals(List.of(), image.config().getEnvList(), "the dependency's app is not the image's");

        Path rootfs = Files.createDirectories(temp.resolve("rootfs"));
        for (Path layer : image.layers()) {
            LayerApplier.apply(layer, rootfs);
        }
        assertTrue(Files.isExecutable(rootfs.resolve("bin/busybox")));
        assertEquals("echo hello", Files.readString(rootfs.resolve("app/hello")));
        assertEquals("hello", Files.readString(rootfs.resolve("etc/motd")), "the upper layer wins");

        List<String> names = store.images().stream().map(ImageSummary::getName).toList();
        assertEquals(List.of("example.com/busybox,version=1.35.0,os=linux,arch=amd64",
                "example.com/hello,version=1.0.0,os=linux,arch=amd64"), names);
    }

    @Test
    void dependenciesComeInTheManifestsOrderAndASharedOneOnce() throws Exception {
        AciBuilder.image("example.com/tools", "1").withoutBusybox().file("tools/t", "t")
                .dependsOn("example.com/busybox", null, "version", "1.35.0").build(acis);
        AciBuilder.image("example.com/app", "1").withoutBusybox().file("app/a", "a")
                .dependsOn("example.com/busybox", null, "version", "1.35.0")
                .dependsOn("example.com/tools", null, "version", "1").exec("/bin/true").build(acis);

        StoredImage image = store.get(TestImages.appc("example.com/app", "version", "1"), PullProgress.none());

        List<String> tops = image.layers().stream().map(l -> firstEntry(l)).toList();
        assertEquals(List.of("bin", "tools", "app"), tops, "busybox, then tools (whose busybox is already there), then app");
    }

    @Test
    void aDependencyPinnedToAnotherIdIsRefused() throws Exception {
        String wrong = "sha512-" + "1".repeat(128);
        AciBuilder.image("example.com/hello", "1").withoutBusybox().file("a", "a")
                .dependsOn("example.com/busybox", wrong, "version", "1.35.0").build(acis);

        Exception e = assertThrows(IOException.class, () -> store.get(
                TestImages.appc("example.com/hello", "version", "1"), PullProgress.none()));
        assertTrue(e.getMessage().contains("depends on 'example.com/busybox,version=1.35.0,os=linux,arch=amd64'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("image ID mismatch: " + wrong), e.getMessage());
        assertEquals(List.of(), store.images().stream().map(ImageSummary::getName)
                .filter(n -> n.startsWith("example.com/hello")).toList(), "the dependent image is not stored");
    }

    @Test
    void aMissingDependencyNamesItsUri() throws Exception {
        AciBuilder.image("example.com/hello", "1").withoutBusybox().file("a", "a")
                .dependsOn("example.com/nothere", null, "version", "9").build(acis);

        Exception e = assertThrows(IOException.class, () -> store.get(
                TestImages.appc("example.com/hello", "version", "1"), PullProgress.none()));
        assertTrue(e.getMessage().contains("not found at " + acis.toUri() + "example.com/nothere-9-linux-amd64.aci"),
                e.getMessage());
    }

    @Test
    void aDependencyCycleIsRefused() throws Exception {
        AciBuilder.image("example.com/a", "1").withoutBusybox().file("a", "a")
                .dependsOn("example.com/b", null, "version", "1").build(acis);
        AciBuilder.image("example.com/b", "1").withoutBusybox().file("b", "b")
                .dependsOn("example.com/a", null, "version", "1").build(acis);

        Exception e = assertThrows(IOException.class, () -> store.get(
                TestImages.appc("example.com/a", "version", "1"), PullProgress.none()));
        assertTrue(e.getMessage().contains("its dependencies form a cycle: example.com/a,version=1,os=linux,arch=amd64"
                + " -> example.com/b,version=1,os=linux,arch=amd64 -> example.com/a"), e.getMessage());
    }

    @Test
    void pruneKeepsTheDependenciesOfAnExcludedImage() throws Exception {
        AciBuilder.image("example.com/hello", "1").withoutBusybox().file("a", "a")
                .dependsOn("example.com/busybox", null, "version", "1.35.0").build(acis);
        Image hello = TestImages.appc("example.com/hello", "version", "1");
        StoredImage image = store.get(hello, PullProgress.none());

        store.prune(List.of(hello), Set.of());

        assertEquals(1, store.images().size(), "the dependency's own record goes: " + store.images());
        image.layers().forEach(l -> assertTrue(Files.isDirectory(l), l + " stays: the excluded image uses it"));
        StoredImage again = store.get(hello, new org.unicon.testkit.store.ProgressRecorder());
        assertEquals(image.layers(), again.layers());

        store.prune(List.of(), Set.of());
        image.layers().forEach(l -> assertFalse(Files.exists(l.getParent()), l.getParent() + " is removed"));
        assertEquals(List.of(), AppcStoreTest.list(storeDir.resolve("images")));
    }

    private static String firstEntry(Path layer) {
        try (var s = Files.list(layer)) {
            return s.map(p -> p.getFileName().toString()).sorted().findFirst().orElse("");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
