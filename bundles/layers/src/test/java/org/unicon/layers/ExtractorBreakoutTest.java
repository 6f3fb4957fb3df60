package org.unicon.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * trust.md §1.4 single-layer cases 1–6 and 8–11 (paths, symlinks, hard links, bad whiteouts),
 * each in moby's harness: nothing outside root/ changes, and the layer either lands in root/ as
 * stated or is refused with InvalidLayerException and leaves root/ empty.
 */
class ExtractorBreakoutTest {

    @TempDir
    Path tmp;
    Harness h;
    /** A name no host path has, for probing that host /etc and /tmp stay untouched. */
    String probe;

    @BeforeEach
    void setUp() throws IOException {
        h = new Harness(tmp);
        probe = "unicon-probe-" + UUID.randomUUID();
    }

    @Test
    void case1_relativeDotDotNamesAreRefused() throws Exception {
        InvalidLayerException e = h.rejects(new TarBuilder().file("ok", "x").file("../victim/x", "evil").tar());
        assertTrue(e.getMessage().contains("'../victim/x'"), e.getMessage());
        assertTrue(e.getMessage().startsWith("invalid layer: entry '../victim/x'"), e.getMessage());
        h.rejects(new TarBuilder().file("a/../../victim/x", "evil").tar());
        h.rejects(new TarBuilder().file("a/b/../../../victim/hello", "evil").tar());
    }

    @Test
    void case1_dotDotThatStaysInsideIsResolvedLexically() throws Exception {
        h.extract(new TarBuilder().file("a/../b", "in").tar());
        assertEquals("in", Files.readString(h.root.resolve("b")));
        h.assertOutsideUntouched();
    }

    @Test
    void case2_absoluteNamesAreRootRelative() throws Exception {
        h.extract(new TarBuilder().file("/etc/" + probe, "x").tar());
        assertEquals("x", Files.readString(h.root.resolve("etc/" + probe)));
        assertFalse(Files.exists(Path.of("/etc", probe)));
        h.assertOutsideUntouched();
        // Commons Compress drops the leading '/', so '/..' climbs like '..' does: refused
        h.root.resolve("etc/" + probe).toFile().delete();
        h.root.resolve("etc").toFile().delete();
        h.rejects(new TarBuilder().file("/../victim/x", "y").tar());
    }

    @Test
    void case3_writingThroughASymlinkIsRefused() throws Exception {
        InvalidLayerException e = h.rejects(new TarBuilder().symlink("l", "../victim").file("l/f", "evil").tar());
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        h.rejects(new TarBuilder().symlink("l", h.victim.toString()).file("l/hello", "evil").tar());
    }

    @Test
    void case4_absoluteSymlinkIsStoredVerbatimAndNeverWrittenThrough() throws Exception {
        h.rejects(new TarBuilder().symlink("localetc", "/etc").file("localetc/" + probe, "x").tar());
        assertFalse(Files.exists(Path.of("/etc", probe)));

        h.extract(new TarBuilder().symlink("localetc", "/etc").dir("etc").file("etc/unbroken", "ok").tar());
        assertEquals(Path.of("/etc"), Files.readSymbolicLink(h.root.resolve("localetc")));
        assertEquals("ok", Files.readString(h.root.resolve("etc/unbroken")));
        h.assertOutsideUntouched();
    }

    @Test
    void case5_chainedAndDeepRelativeLinksAreNotFollowed() throws Exception {
        h.rejects(new TarBuilder().dir("dummy").symlink("dummy/etc", "/etc").symlink("localetc", "./dummy/etc")
                .file("localetc/" + probe, "x").tar());
        h.rejects(new TarBuilder().dir("a/b").symlink("a/b/deep", "../../../../../../etc")
                .file("a/b/deep/" + probe, "x").tar());
        h.rejects(new TarBuilder().symlink("up", "..").file("up/victim/hello", "x").tar());
        assertFalse(Files.exists(Path.of("/etc", probe)));

        h.extract(new TarBuilder().dir("a/b").symlink("a/b/deep", "../../../../../../etc").tar());
        assertEquals("../../../../../../etc", Files.readSymbolicLink(h.root.resolve("a/b/deep")).toString());
        h.assertOutsideUntouched();
    }

    @Test
    void case6_directoryReplacedBySymlinkIsNotWrittenThrough() throws Exception {
        h.rejects(new TarBuilder().dir("foo").file("foo/keep", "k").symlink("foo", "/")
                .file("foo/tmp/" + probe, "x").tar());
        assertFalse(Files.exists(Path.of("/tmp", probe)));

        h.extract(new TarBuilder().dir("foo").file("foo/keep", "k").symlink("foo", "/").tar());
        assertTrue(Files.isSymbolicLink(h.root.resolve("foo")), "the symlink replaces the directory");
        assertEquals(Path.of("/"), Files.readSymbolicLink(h.root.resolve("foo")));
        h.assertOutsideUntouched();
    }

    @Test
    void case8_hardLinksMustTargetEarlierEntriesOfThisLayer() throws Exception {
        h.rejects(new TarBuilder().hardlink("x", "../victim/hello").tar());
        h.rejects(new TarBuilder().hardlink("x", h.hello.toString()).tar());
        h.rejects(new TarBuilder().hardlink("x", "/etc/passwd").tar());
        h.rejects(new TarBuilder().dir("loop").hardlink("x", "loop/../../x").tar());
        h.rejects(new TarBuilder().symlink("v", h.victim.toString()).hardlink("x", "v/hello").tar());
        h.rejects(new TarBuilder().dir("d").hardlink("x", "d").tar());

        h.extract(new TarBuilder().file("a", "data").hardlink("b", "a").hardlink("c", "/a").tar());
        assertEquals(Harness.stat(h.root.resolve("a"), "%i %h"), Harness.stat(h.root.resolve("c"), "%i %h"));
        assertEquals("3", Harness.stat(h.root.resolve("b"), "%h"));
        h.assertOutsideUntouched();
    }

    @Test
    void case9_chmodThroughHardLinkToSymlinkLeavesHostFileAlone() throws Exception {
        h.extract(new TarBuilder().symlink("p", h.hello.toString()).hardlink("q", "p", 0777).tar());
        assertTrue(Files.isSymbolicLink(h.root.resolve("q")));
        assertEquals(Harness.stat(h.root.resolve("p"), "%i"), Harness.stat(h.root.resolve("q"), "%i"));
        assertEquals("644", Harness.stat(h.hello, "%a"));
        h.assertOutsideUntouched();
    }

    @Test
    void case10_hardLinkToASymlinkCreatedBeforeItsTarget() throws Exception {
        h.extract(new TarBuilder().symlink("s", "t").hardlink("h", "s").file("t", "target").tar());
        assertTrue(Files.isSymbolicLink(h.root.resolve("h")), "a link to the symlink itself");
        assertEquals("t", Files.readSymbolicLink(h.root.resolve("h")).toString());
        assertEquals(Harness.stat(h.root.resolve("s"), "%i"), Harness.stat(h.root.resolve("h"), "%i"));
        assertEquals("target", Files.readString(h.root.resolve("t")));
        h.assertOutsideUntouched();
    }

    @Test
    void case11_whiteoutsThatNameNothingAreRefused() throws Exception {
        for (String name : new String[] {".wh.", ".wh..", ".wh...", "etc/.wh..", "etc/.wh..."}) {
            InvalidLayerException e = h.rejects(new TarBuilder().dir("etc").whiteout(name).tar());
            assertTrue(e.getMessage().contains("whiteout"), e.getMessage());
        }
        h.rejects(new TarBuilder().whiteout(".wh.x").file(".wh.x/inside", "x").tar());
    }

    @Test
    void symlinkInTheWayOfANewFileIsReplacedNotFollowed() throws Exception {
        h.extract(new TarBuilder().symlink("hello", h.hello.toString()).file("hello", "mine").tar());
        assertFalse(Files.isSymbolicLink(h.root.resolve("hello")));
        assertEquals("mine", Files.readString(h.root.resolve("hello")));
        assertEquals("hello", Files.readString(h.hello));
        h.assertOutsideUntouched();
    }

    @Test
    void failureDeletesATargetItCreated() throws Exception {
        Path fresh = h.root.resolve("fresh");
        byte[] layer = new TarBuilder().file("a/b", "x").file("../escape", "x").tar();
        org.junit.jupiter.api.Assertions.assertThrows(InvalidLayerException.class,
                () -> LayerExtractor.extract(new java.io.ByteArrayInputStream(layer), fresh, ExtractOptions.defaults()));
        assertFalse(Files.exists(fresh, LinkOption.NOFOLLOW_LINKS));
        h.assertOutsideUntouched();
    }

    @Test
    void aNonEmptyTargetIsRefused() throws Exception {
        Files.writeString(h.root.resolve("existing"), "x");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> h.extract(new TarBuilder().file("a", "x").tar()));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        assertEquals("x", Files.readString(h.root.resolve("existing")));
    }

    @Test
    void stripPrefixExtractsOnlyThePrefixedTree() throws Exception {
        h.extract(new TarBuilder().file("manifest", "{}").dir("rootfs", 0750, e -> { })
                .file("rootfs/bin/sh", "sh").hardlink("rootfs/bin/ash", "rootfs/bin/sh").tar(),
                ExtractOptions.defaults().withStripPrefix("rootfs/"));
        assertEquals("sh", Files.readString(h.root.resolve("bin/sh")));
        assertEquals("2", Harness.stat(h.root.resolve("bin/ash"), "%h"));
        assertFalse(Files.exists(h.root.resolve("manifest")));
        assertEquals("750", Harness.stat(h.root, "%a"), "the prefix directory's metadata goes to the root");
        h.assertOutsideUntouched();
    }
}
