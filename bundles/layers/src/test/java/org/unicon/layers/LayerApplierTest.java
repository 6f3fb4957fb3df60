package org.unicon.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cross-layer cases of trust.md §1.4 (7, 12, 13, 19, 25) through LayerApplier, in moby's
 * harness: stored layers live in {@code root/layers}, the copy is built in {@code root/rootfs},
 * and a probe directory beside {@code root/} is what lower-layer links point at.
 */
class LayerApplierTest {

    @TempDir
    Path tmp;
    Harness h;
    Path rootfs;
    Path probe;

    @BeforeEach
    void setUp() throws Exception {
        probe = Files.createDirectory(tmp.resolve("probe"));
        Files.writeString(probe.resolve("y"), "probe y");
        Files.writeString(probe.resolve("x"), "probe x");
        h = new Harness(tmp);
        rootfs = Files.createDirectory(h.root.resolve("rootfs"));
        Files.createDirectory(h.root.resolve("layers"));
    }

    private Path store(String name, byte[] tar) throws Exception {
        Path layer = h.root.resolve("layers").resolve(name);
        LayerExtractor.extract(new ByteArrayInputStream(tar), layer, ExtractOptions.defaults());
        return layer;
    }

    @Test
    void case7_upperLayerNeverWritesThroughALowerSymlink() throws Exception {
        LayerApplier.apply(store("l1", new TarBuilder().symlink("etc", probe.toString()).tar()), rootfs);
        LayerApplier.apply(store("l2", new TarBuilder().dir("etc").file("etc/x", "mine").whiteout("etc/.wh.y")
                .hardlink("etc/z", "etc/x").tar()), rootfs);
        assertEquals("directory", Harness.stat(rootfs.resolve("etc"), "%F"), "the upper directory replaces the link");
        assertEquals("mine", Files.readString(rootfs.resolve("etc/x")));
        assertEquals(Harness.stat(rootfs.resolve("etc/x"), "%i"), Harness.stat(rootfs.resolve("etc/z"), "%i"));
        assertFalse(Files.exists(rootfs.resolve("etc/y"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("probe x", Files.readString(probe.resolve("x")));
        assertEquals("probe y", Files.readString(probe.resolve("y")));
        h.assertOutsideUntouched();
    }

    @Test
    void case12_whiteoutUnderALowerSymlinkStaysInsideTheRootfs() throws Exception {
        LayerApplier.apply(store("l1", new TarBuilder().symlink("localetc", probe.toString()).dir("etc")
                .file("etc/x", "root x").tar()), rootfs);
        LayerApplier.apply(store("l2", new TarBuilder().whiteout("localetc/.wh.x").tar()), rootfs);
        // as overlayfs shows it: the upper directory hides the lower link; the host file stays
        assertEquals("directory", Harness.stat(rootfs.resolve("localetc"), "%F"));
        assertFalse(Files.exists(rootfs.resolve("localetc/x"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("root x", Files.readString(rootfs.resolve("etc/x")));
        assertEquals("probe x", Files.readString(probe.resolve("x")));
        h.assertOutsideUntouched();
    }

    @Test
    void case13_whiteoutOfASymlinkRemovesTheLinkNotItsTarget() throws Exception {
        LayerApplier.apply(store("l1", new TarBuilder().symlink("localetc", probe.toString())
                .symlink("victimlink", h.victim.toString()).tar()), rootfs);
        LayerApplier.apply(store("l2", new TarBuilder().whiteout(".wh.localetc").whiteout(".wh.victimlink").tar()), rootfs);
        assertFalse(Files.exists(rootfs.resolve("localetc"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(rootfs.resolve("victimlink"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(probe.resolve("x")));
        h.assertOutsideUntouched();
    }

    @Test
    void case19_typeFlipsAcrossLayersReplaceAndDirectoriesMerge() throws Exception {
        LayerApplier.apply(store("l1", new TarBuilder().dir("d").file("d/f", "lower").symlink("s", h.victim.toString())
                .file("f", "file").dir("m").file("m/old", "old").symlink("hello", h.hello.toString()).tar()), rootfs);
        LayerApplier.apply(store("l2", new TarBuilder().file("d", "now a file").dir("s").file("s/hello", "mine")
                .dir("f").file("f/inside", "in").dir("m").file("m/new", "new").file("hello", "replaced", 0600, e -> { })
                .tar()), rootfs);
        assertEquals("now a file", Files.readString(rootfs.resolve("d")));
        assertEquals("directory", Harness.stat(rootfs.resolve("s"), "%F"));
        assertEquals("mine", Files.readString(rootfs.resolve("s/hello")));
        assertEquals("in", Files.readString(rootfs.resolve("f/inside")));
        assertEquals("old", Files.readString(rootfs.resolve("m/old")));
        assertEquals("new", Files.readString(rootfs.resolve("m/new")));
        assertEquals("regular file 600", Harness.stat(rootfs.resolve("hello"), "%F %a"));
        assertEquals("hello", Files.readString(h.hello));
        h.assertOutsideUntouched();
    }

    @Test
    void whiteoutsAndOpaqueDirectoriesAsInTheProbeImage() throws Exception {
        List<Path> layers = probeImage();
        for (Path layer : layers) {
            LayerApplier.apply(layer, rootfs);
        }
        assertEquals(List.of("added.txt", "hl-a", "hl-b", "keep.txt", "link"), list(rootfs.resolve("data")));
        assertEquals(List.of("new1"), list(rootfs.resolve("opq")));
        assertEquals(Harness.stat(rootfs.resolve("data/hl-a"), "%i"), Harness.stat(rootfs.resolve("data/hl-b"), "%i"));
        assertEquals("keep.txt", Files.readSymbolicLink(rootfs.resolve("data/link")).toString());
        assertNull(Harness.xattr(rootfs.resolve("opq"), "trusted.overlay.opaque"), "overlay markers are not copied");
        h.assertOutsideUntouched();
    }

    @Test
    void metadataIsCopiedOwnerBeforeMode() throws Exception {
        byte[] binary = {1, 0, 0, 2, (byte) 0xff};
        Path layer = store("l1", new TarBuilder().file("suid", "x", 04755, e -> e.setIds(1000, 1000))
                .dir("sticky", 01777, e -> e.setIds(0, 0)).symlink("link", "suid").tar());
        Path withXattr = store("l2", new RawTar().pax(RawTar.record("SCHILY.xattr.user.note", binary))
                .entry("noted", '0', "x".getBytes()).tar());
        LayerApplier.apply(layer, rootfs);
        LayerApplier.apply(withXattr, rootfs);
        assertEquals("4755 1000:1000", Harness.stat(rootfs.resolve("suid"), "%a %u:%g"));
        assertEquals("1777", Harness.stat(rootfs.resolve("sticky"), "%a"));
        assertEquals(Harness.stat(layer.resolve("suid"), "%.9Y"), Harness.stat(rootfs.resolve("suid"), "%.9Y"));
        assertEquals(Harness.stat(layer.resolve("sticky"), "%.9Y"), Harness.stat(rootfs.resolve("sticky"), "%.9Y"));
        assertEquals(Harness.stat(layer.resolve("link"), "%.9Y"), Harness.stat(rootfs.resolve("link"), "%.9Y"));
        assertEquals(new String(binary, java.nio.charset.StandardCharsets.ISO_8859_1),
                Harness.xattr(rootfs.resolve("noted"), "user.note"));
        h.assertOutsideUntouched();
    }

    @Test
    void opaqueRootClearsEverythingBelow() throws Exception {
        LayerApplier.apply(store("l1", new TarBuilder().file("a", "a").dir("b").file("b/c", "c").tar()), rootfs);
        LayerApplier.apply(store("l2", new TarBuilder().whiteout(".wh..wh..opq").file("new", "n").tar()), rootfs);
        assertEquals(List.of("new"), list(rootfs));
        h.assertOutsideUntouched();
    }

    @Test
    void case25_parallelExtractionGivesTheSameTreeAsSerial() throws Exception {
        byte[][] tars = probeTars();
        List<Path> serial = new ArrayList<>();
        for (int i = 0; i < tars.length; i++) {
            serial.add(store("serial" + i, tars[i]));
        }
        List<Path> parallel = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(tars.length);
        try {
            List<Future<Path>> futures = new ArrayList<>();
            for (int i = tars.length - 1; i >= 0; i--) {
                int n = i;
                futures.add(0, pool.submit(() -> store("parallel" + n, tars[n])));
            }
            for (Future<Path> f : futures) {
                parallel.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        Path other = Files.createDirectory(h.root.resolve("rootfs2"));
        for (int i = 0; i < tars.length; i++) {
            LayerApplier.apply(serial.get(i), rootfs);
            LayerApplier.apply(parallel.get(i), other);
        }
        Map<String, String> a = Harness.tree(rootfs);
        Map<String, String> b = Harness.tree(other);
        assertEquals(a, b);
        assertTrue(a.containsKey("opq/new1") && !a.containsKey("opq/old1") && !a.containsKey("data/delete-me.txt"), a.toString());
        h.assertOutsideUntouched();
    }

    @Test
    void copyMatchesAnOverlayMountOfTheSameLayers() throws Exception {
        List<Path> layers = probeImage();
        for (Path layer : layers) {
            LayerApplier.apply(layer, rootfs);
        }
        Path merged = Files.createDirectory(h.root.resolve("merged"));
        StringBuilder lower = new StringBuilder();
        for (int i = layers.size() - 1; i >= 0; i--) {
            lower.append(lower.length() == 0 ? "" : ":").append(layers.get(i));
        }
        Process mount = new ProcessBuilder("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lower, merged.toString())
                .redirectErrorStream(true).start();
        String out = new String(mount.getInputStream().readAllBytes());
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0, "overlayfs is not available here: " + out);
        try {
            Map<String, String> viaOverlay = Harness.tree(merged);
            Map<String, String> viaCopy = Harness.tree(rootfs);
            viaOverlay.remove(".");
            viaCopy.remove(".");
            assertEquals(viaOverlay, viaCopy);
        } finally {
            assertEquals(0, new ProcessBuilder("umount", merged.toString()).start().waitFor());
        }
        h.assertOutsideUntouched();
    }

    /** probe.md §3's whiteout image: busybox-like base, data and opq dirs, then whiteouts and an opaque dir. */
    private static byte[][] probeTars() {
        return new byte[][] {
            new TarBuilder().dir("bin").file("bin/sh", "#!busybox", 0755, e -> { }).tar(),
            new TarBuilder().dir("data").file("data/keep.txt", "keep").file("data/delete-me.txt", "delete")
                    .file("data/hl-a", "hl").hardlink("data/hl-b", "data/hl-a").symlink("data/link", "keep.txt")
                    .dir("opq").file("opq/old1", "1").file("opq/old2", "2").dir("opq/sub").file("opq/sub/old3", "3").tar(),
            new TarBuilder().dir("data").whiteout("data/.wh.delete-me.txt").file("data/added.txt", "added")
                    .dir("opq").whiteout("opq/.wh..wh..opq").file("opq/new1", "new").tar(),
        };
    }

    private List<Path> probeImage() throws Exception {
        List<Path> layers = new ArrayList<>();
        byte[][] tars = probeTars();
        for (int i = 0; i < tars.length; i++) {
            layers.add(store("p" + i, tars[i]));
        }
        return layers;
    }

    private static List<String> list(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
