package org.unicon.testkit.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.unicon.hostfs.MountTable;
import org.unicon.hostfs.TreeDeleter;
import org.unicon.hostfs.Unmounter;
import org.unicon.provisioner.ProvisionerBackend;

/**
 * What every {@link ProvisionerBackend} must do, checked on real files and real mounts (run as
 * root). Extend it, return the backend from {@link #backend()}, and override the capability
 * methods that differ. Each test works in a fresh scratch directory laid out like the core's
 * ({@code containers/<id>/rootfs}, the rootfs created empty by the test) and fails if anything
 * is still mounted below it afterwards; the scratch directory is always deleted.
 */
public abstract class ProvisionerBackendConformance {

    /** The backend under test; may be a new instance per call or the same one. */
    protected abstract ProvisionerBackend backend();

    /** True for backends that take exactly one layer (bind): multi-layer tests then check refusal. */
    protected boolean singleLayerOnly() {
        return false;
    }

    /** True when the provisioned rootfs cannot be written (bind). */
    protected boolean readOnlyRootfs() {
        return false;
    }

    /** Where scratch directories go (the filesystem under test); the system temp dir by default. */
    protected Path scratchParent() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** This test's scratch directory. */
    protected Path scratch;

    @BeforeEach
    void createScratch() throws IOException {
        scratch = Files.createTempDirectory(scratchParent(), "backend-conformance-");
    }

    @AfterEach
    void leaveNothingBehind() throws IOException {
        List<Path> mounted = Unmounter.detachAll(scratch);
        TreeDeleter.delete(scratch);
        assertTrue(mounted.isEmpty(), "still mounted after the test: " + mounted);
    }

    @Test
    void singleLayerShowsEveryKindOfEntry() throws Exception {
        Path layer = ConformanceImages.everyKind().writeOverlayForm(scratch.resolve("layers-1"));
        FileTree expected = FileTree.of(layer);
        Path rootfs = newRootfs("c1");

        backend().provision(List.of(layer), rootfs);

        for (Path mountPoint : MountTable.mountPointsAtOrUnder(scratch)) {
            assertEquals(rootfs.toRealPath(), mountPoint, "a mount other than the rootfs itself");
        }
        assertSameTree(expected, FileTree.of(rootfs), "rootfs of a one-layer image");
        backend().destroy(rootfs);
        assertDestroyed(rootfs);
        assertEquals(expected, FileTree.of(layer), "the layer changed");
    }

    @Test
    void appliesWhiteoutsOpaqueDirectoriesAndLinksAcrossLayers() throws Exception {
        assumeFalse(singleLayerOnly(), "the backend takes one layer");
        Path victim = victim();
        List<Path> layers = ConformanceImages.writeOverlayForm(
                ConformanceImages.whiteoutImage(victim), scratch.resolve("layers"));
        Path rootfs = newRootfs("c1");

        backend().provision(layers, rootfs);

        FileTree tree = FileTree.of(rootfs);
        assertEquals(List.of("added.txt", "hl-a", "hl-b", "keep.txt", "link"), names(rootfs.resolve("data")));
        assertTrue(tree.entry("data/hl-a").endsWith("links=data/hl-b"), tree.entry("data/hl-a"));
        assertEquals(Path.of("keep.txt"), Files.readSymbolicLink(rootfs.resolve("data/link")));
        assertEquals("l2", tree.xattrs("data/keep.txt").get("user.origin"));
        assertEquals(List.of("new1", "sub"), names(rootfs.resolve("opq")), "opaque directory");
        assertEquals(List.of("new2"), names(rootfs.resolve("opq/sub")), "opaque directory, same-layer entries");
        assertTrue(tree.entry("sbin/suid").startsWith("file 4755 0:0"), tree.entry("sbin/suid"));
        assertTrue(tree.entry("home/user").startsWith("dir 0700 1000:1000"), tree.entry("home/user"));
        assertTrue(tree.entry("home/user/file").startsWith("file 0640 1000:1000"), tree.entry("home/user/file"));
        assertTrue(tree.entry("run/fifo").startsWith("fifo 0644"), tree.entry("run/fifo"));
        assertEquals(List.of("inner"), names(rootfs.resolve("becomes-dir")), "file replaced by a directory");
        assertEquals("now a file\n", Files.readString(rootfs.resolve("replaced")), "directory replaced by a file");
        assertEquals("v2\n", Files.readString(rootfs.resolve("bin/tool")), "the upper layer wins");
        assertFalse(Files.exists(rootfs.resolve("bin/vi"), LinkOption.NOFOLLOW_LINKS), "whited-out applet link");
        assertEquals(Path.of("busybox"), Files.readSymbolicLink(rootfs.resolve("bin/sh")));
        assertEquals(List.of("lowerfile", "upperfile"), names(rootfs.resolve("uo")), "merged directory");
        assertEquals("merged", tree.xattrs("uo").get("user.note"), "the upper layer's directory xattrs");
        assertNoOverlayXattrs(tree);
        backend().destroy(rootfs);
        assertDestroyed(rootfs);
    }

    @Test
    void neverFollowsALowerLayersLinkOutOfTheRootfs() throws Exception {
        assumeFalse(singleLayerOnly(), "the backend takes one layer");
        Path victim = victim();
        FileTree victimBefore = FileTree.of(victim);
        List<Path> layers = ConformanceImages.writeOverlayForm(
                ConformanceImages.whiteoutImage(victim), scratch.resolve("layers"));
        Path rootfs = newRootfs("c1");

        backend().provision(layers, rootfs);

        assertTrue(Files.isDirectory(rootfs.resolve("conf"), LinkOption.NOFOLLOW_LINKS), "case 7: conf");
        assertEquals(List.of("x", "z"), names(rootfs.resolve("conf")), "case 7: written inside the rootfs");
        assertEquals(FileTree.of(rootfs).entry("conf/z").replaceAll(" links=.*", ""),
                FileTree.of(rootfs).entry("data/added.txt").replaceAll(" links=.*", ""), "case 7: hardlink");
        assertEquals(List.of(), names(rootfs.resolve("localetc")), "case 12");
        assertFalse(Files.exists(rootfs.resolve("gone"), LinkOption.NOFOLLOW_LINKS), "case 13: link removed");
        backend().destroy(rootfs);
        assertDestroyed(rootfs);
        assertSameTree(victimBefore, FileTree.of(victim), "the directory outside the rootfs");
    }

    @Test
    void matchesUmociUnpackOfTheSameImage() throws Exception {
        assumeFalse(singleLayerOnly(), "the backend takes one layer");
        Path victim = victim();
        List<LayerBuilder> image = ConformanceImages.whiteoutImage(victim);
        FileTree reference = FileTree.of(ConformanceImages.umociUnpack(image, scratch.resolve("umoci")));
        List<Path> layers = ConformanceImages.writeOverlayForm(image, scratch.resolve("layers"));
        Path rootfs = newRootfs("c1");

        backend().provision(layers, rootfs);

        assertSameTree(reference, FileTree.of(rootfs).withoutXattrs("trusted.overlay."), "umoci unpack vs rootfs");
        backend().destroy(rootfs);
        assertDestroyed(rootfs);
    }

    @Test
    void concurrentProvisionsGiveIdenticalTrees() throws Exception {
        assumeFalse(singleLayerOnly(), "the backend takes one layer");
        List<Path> layers = ConformanceImages.writeOverlayForm(
                ConformanceImages.whiteoutImage(victim()), scratch.resolve("layers"));
        Path serial = newRootfs("serial");
        backend().provision(layers, serial);
        FileTree expected = FileTree.of(serial);
        List<Path> rootfses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rootfses.add(newRootfs("parallel" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(rootfses.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Path rootfs : rootfses) {
                done.add(pool.submit(() -> {
                    backend().provision(layers, rootfs);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        for (Path rootfs : rootfses) {
            assertSameTree(expected, FileTree.of(rootfs), "concurrently provisioned " + rootfs.getParent());
        }
        rootfses.add(serial);
        for (Path rootfs : rootfses) {
            backend().destroy(rootfs);
            assertDestroyed(rootfs);
        }
    }

    @Test
    void changesInTheRootfsNeverReachTheLayers() throws Exception {
        Path layer = ConformanceImages.everyKind().writeOverlayForm(scratch.resolve("layers-1"));
        FileTree before = FileTree.of(layer);
        Path rootfs = newRootfs("c1");
        backend().provision(List.of(layer), rootfs);

        if (readOnlyRootfs()) {
            FileSystemException refused = assertThrows(FileSystemException.class,
                    () -> Files.writeString(rootfs.resolve("etc/passwd"), "changed"));
            assertNotNull(refused.getMessage());
            assertThrows(FileSystemException.class, () -> Files.createFile(rootfs.resolve("new-file")));
        } else {
            Files.writeString(rootfs.resolve("etc/passwd"), "changed");
            Files.writeString(rootfs.resolve("new-file"), "new");
            Files.delete(rootfs.resolve("data/hard"));
            Files.setAttribute(rootfs.resolve("usr/bin/suid"), "unix:mode", 0700);
            assertEquals("changed", Files.readString(rootfs.resolve("etc/passwd")));
            assertFalse(Files.exists(rootfs.resolve("data/hard")));
        }

        assertSameTree(before, FileTree.of(layer), "the layer after writes to the rootfs");
        backend().destroy(rootfs);
        assertDestroyed(rootfs);
        assertSameTree(before, FileTree.of(layer), "the layer after destroy");
    }

    @Test
    void refusesMoreThanOneLayerWhenSingleLayerOnly() throws Exception {
        assumeTrue(singleLayerOnly(), "the backend takes many layers");
        List<Path> layers = ConformanceImages.writeOverlayForm(
                List.of(new LayerBuilder().file("a", "a"), new LayerBuilder().file("b", "b"),
                        new LayerBuilder().file("c", "c")), scratch.resolve("layers"));
        Path rootfs = newRootfs("c1");

        Exception refused = assertThrows(Exception.class, () -> backend().provision(layers, rootfs));

        assertTrue(refused.getMessage().contains("3"), "the error names the layer count: " + refused.getMessage());
        assertEquals(List.of(), MountTable.mountPointsAtOrUnder(scratch));
        backend().destroy(rootfs);
        assertDestroyed(rootfs);
    }

    @Test
    void failedProvisionLeavesNothingMounted() throws Exception {
        Path good = ConformanceImages.everyKind().writeOverlayForm(scratch.resolve("layers-1"));
        Path missing = scratch.resolve("layers-missing");
        List<Path> layers = singleLayerOnly() ? List.of(missing) : List.of(good, missing);
        Path rootfs = newRootfs("c1");

        assertThrows(Exception.class, () -> backend().provision(layers, rootfs));

        assertEquals(List.of(), MountTable.mountPointsAtOrUnder(scratch), "mounted after a failed provision");
        backend().destroy(rootfs);
        assertDestroyed(rootfs);
    }

    @Test
    void destroyIsIdempotent() throws Exception {
        Path layer = ConformanceImages.everyKind().writeOverlayForm(scratch.resolve("layers-1"));
        Path rootfs = newRootfs("c1");
        backend().provision(List.of(layer), rootfs);

        backend().destroy(rootfs);
        backend().destroy(rootfs);
        assertDestroyed(rootfs);

        Path neverProvisioned = newRootfs("c2");
        backend().destroy(neverProvisioned);
        assertDestroyed(neverProvisioned);
        backend().destroy(scratch.resolve("containers/never-created/rootfs"));
    }

    @Test
    void destroyUnmountsButNeverDeletesThroughAMountInside() throws Exception {
        Path layer = ConformanceImages.everyKind().writeOverlayForm(scratch.resolve("layers-1"));
        Path hostDir = Files.createDirectories(scratch.resolve("host-volume"));
        Files.writeString(hostDir.resolve("precious"), "keep me");
        Path rootfs = newRootfs("c1");
        backend().provision(List.of(layer), rootfs);
        Commands.run(List.of("mount", "--bind", hostDir.toString(), rootfs.resolve("tmp").toString()));

        backend().destroy(rootfs);

        assertDestroyed(rootfs);
        assertEquals("keep me", Files.readString(hostDir.resolve("precious")), "a file behind a mount inside");
    }

    @Test
    void destroySucceedsWhileAProcessIsInsideTheRootfs() throws Exception {
        Path layer = ConformanceImages.everyKind().writeOverlayForm(scratch.resolve("layers-1"));
        Path rootfs = newRootfs("c1");
        backend().provision(List.of(layer), rootfs);
        Process inside = new ProcessBuilder("sleep", "600").directory(rootfs.resolve("tmp").toFile()).start();
        try {
            backend().destroy(rootfs);
            assertDestroyed(rootfs);
        } finally {
            inside.destroyForcibly().waitFor();
        }
    }

    /** A new, empty rootfs directory for container {@code id}, laid out as the core does. */
    protected Path newRootfs(String id) throws IOException {
        return Files.createDirectories(scratch.resolve("containers").resolve(id).resolve("rootfs"));
    }

    /** After destroy: nothing mounted in the container's directory, and nothing left in it. */
    protected void assertDestroyed(Path rootfs) throws IOException {
        Path container = rootfs.getParent();
        assertEquals(List.of(), MountTable.mountPointsAtOrUnder(container), "mounted after destroy");
        assertEquals(List.of(), names(container), "left in " + container + " after destroy");
    }

    /** Fails with the differing entries when the trees differ. */
    protected static void assertSameTree(FileTree expected, FileTree actual, String what) {
        String differences = expected.differences(actual, 40);
        if (!differences.isEmpty()) {
            fail(what + " differs (- expected, + actual):\n" + differences);
        }
    }

    /** Case 15: no overlay marker is ever visible in a rootfs (the store drops them from layers). */
    private static void assertNoOverlayXattrs(FileTree tree) {
        for (String path : tree.paths()) {
            for (String name : tree.xattrs(path).keySet()) {
                assertFalse(name.startsWith("trusted.overlay."), "overlay xattr " + name + " visible on " + path);
            }
        }
    }

    private Path victim() throws IOException {
        Path victim = Files.createDirectories(scratch.resolve("victim"));
        Files.writeString(victim.resolve("x"), "victim x\n");
        Files.writeString(victim.resolve("y"), "victim y\n");
        return victim;
    }

    private static List<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
