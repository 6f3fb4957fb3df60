package org.unicon.backend.overlay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.unicon.hostfs.MountTable;
import org.unicon.testkit.backend.LayerBuilder;

/** When overlay (and aufs) say they can work here, checked against real filesystems. */
class OverlayAvailabilityTest {

    private ScratchDirectory scratch;

    @BeforeEach
    void create() throws IOException {
        scratch = new ScratchDirectory();
    }

    @AfterEach
    void clean() throws IOException {
        scratch.close();
    }

    @Test
    void availableForAStoreOnThisHostsDisk() throws IOException {
        Path store = Files.createDirectories(scratch.path.resolve("store"));

        assertEquals(Optional.empty(), new OverlayBackend().unavailable(store));
        assertEquals(List.of(), names(store), "the d_type probe cleaned up after itself");
    }

    @Test
    void checksTheNearestExistingDirectoryOfAStoreNotCreatedYet() {
        assertEquals(Optional.empty(), new OverlayBackend().unavailable(scratch.path.resolve("not/yet/there")));
        assertFalse(Files.exists(scratch.path.resolve("not")), "nothing created for the check");
    }

    @Test
    void availableForAStoreOnTmpfs() throws IOException {
        Path store = Files.createDirectories(scratch.path.resolve("tmpfs"));
        run("mount", "-t", "tmpfs", "tmpfs", store.toString());
        try {
            assertEquals(Optional.empty(), new OverlayBackend().unavailable(store.resolve("docker")));
        } finally {
            run("umount", store.toString());
        }
    }

    @Test
    void refusedForAStoreOnOverlay() throws Exception {
        Path lower = new LayerBuilder().file("f", "x").writeOverlayForm(scratch.path.resolve("lower"));
        Path merged = Files.createDirectories(scratch.path.resolve("merged"));
        OverlayBackend backend = new OverlayBackend();
        backend.provision(List.of(lower), merged);
        try {
            Optional<String> reason = backend.unavailable(merged.resolve("store"));

            assertEquals(Optional.of("the image store " + merged.resolve("store")
                    + " is on overlay, which overlayfs cannot use as lower layers"), reason);
        } finally {
            backend.destroy(merged);
        }
    }

    @Test
    void refusedWhenTheKernelLacksOverlay() {
        // Fake: a kernel without overlayfs cannot be had on this machine, so /proc/filesystems is given.
        KernelFilesystems noOverlay = KernelFilesystems.parse("nodev\tsysfs\nnodev\ttmpfs\n\text4\n");
        OverlayBackend backend = new OverlayBackend(noOverlay, new MountApiOverlay());

        assertEquals(Optional.of("the kernel has no overlay filesystem (not listed in /proc/filesystems)"),
                backend.unavailable(scratch.path));
    }

    @Test
    void readsKernelFilesystemsAndRelease() {
        KernelFilesystems parsed = KernelFilesystems.parse("nodev\toverlay\n\text4\nnodev\taufs\n");
        assertTrue(parsed.has("overlay") && parsed.has("ext4") && parsed.has("aufs"));
        assertFalse(parsed.has("btrfs"));
        assertTrue(KernelFilesystems.read().has("overlay"), "this machine's kernel has overlay");
        assertEquals(new KernelRelease(6, 18), KernelRelease.parse("6.18.44-fc-v595"));
        assertTrue(KernelRelease.parse("6.8.0").atLeast(6, 8));
        assertFalse(KernelRelease.parse("5.15.0-91-generic").atLeast(6, 8));
    }

    @Test
    void aufsIsUnavailableOnThisKernelAndSaysWhy() throws Exception {
        AufsBackend aufs = new AufsBackend(KernelFilesystems.read());
        Path rootfs = Files.createDirectories(scratch.path.resolve("c1/rootfs"));
        Path layer = new LayerBuilder().file("f", "x").writeOverlayForm(scratch.path.resolve("layer"));

        assertEquals(Optional.of("the kernel has no aufs (not listed in /proc/filesystems)"),
                aufs.unavailable(scratch.path));
        IOException refused = assertThrows(IOException.class, () -> aufs.provision(List.of(layer), rootfs));
        assertEquals("cannot provision " + rootfs + " with aufs: the kernel has no aufs"
                + " (not listed in /proc/filesystems)", refused.getMessage());
        aufs.destroy(rootfs);
        aufs.destroy(rootfs);
        assertEquals(List.of(), names(scratch.path.resolve("c1")));
    }

    @Test
    void aufsInTheKernelStillCannotReadOverlayFormLayers() {
        // Fake: this kernel has no aufs; a /proc/filesystems listing it is given.
        AufsBackend aufs = new AufsBackend(KernelFilesystems.parse("nodev\taufs\n"));

        assertTrue(aufs.unavailable(scratch.path).orElseThrow().contains("overlay form"));
    }

    @Test
    void reportsTheKernelsReasonWhenAMountFails() throws Exception {
        Path layer = new LayerBuilder().file("f", "x").writeOverlayForm(scratch.path.resolve("layer"));
        Path upper = Files.createDirectories(scratch.path.resolve("upper"));
        Path other = Files.createDirectories(scratch.path.resolve("other-fs"));
        run("mount", "-t", "tmpfs", "tmpfs", other.toString());
        Path work = Files.createDirectories(other.resolve("work"));
        Path target = Files.createDirectories(scratch.path.resolve("target"));
        try {
            IOException api = assertThrows(IOException.class,
                    () -> new MountApiOverlay().mount(List.of(layer), upper, work, target));
            assertTrue(api.getMessage().startsWith("cannot mount an overlay on " + target
                    + ": creating the filesystem failed: "), api.getMessage());
            Path missing = scratch.path.resolve("missing-layer");
            IOException noLayer = assertThrows(IOException.class,
                    () -> new MountApiOverlay().mount(List.of(missing), upper, upper.resolveSibling("w"), target));
            assertTrue(noLayer.getMessage().startsWith("cannot mount an overlay on " + target
                    + ": setting layer 1 of 1 (" + missing + ") failed: No such file or directory"), noLayer.getMessage());
            IOException classic = assertThrows(IOException.class,
                    () -> new ShortLinkOverlay().mount(List.of(layer), upper, work, target));
            assertTrue(classic.getMessage().contains("mount exited with"), classic.getMessage());
            assertEquals(List.of(other), MountTable.mountPointsAtOrUnder(scratch.path), "only the test's tmpfs");
            assertFalse(Files.exists(scratch.path.resolve("links")), "the short links are gone");
        } finally {
            run("umount", other.toString());
        }
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        try {
            assertEquals(0, p.waitFor(), String.join(" ", command));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
