package org.unicon.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.layers.internal.FileTree;
import org.unicon.layers.internal.Posix;

/**
 * Overlay form and metadata: whiteouts and opaque dirs (cases 14, 21), forged overlay xattrs (15),
 * the root entry (16), devices (17), ownership and special mode bits (18), duplicates and type
 * flips within one layer (19), all in moby's harness.
 */
class ExtractorOverlayFormTest {

    @TempDir
    Path tmp;
    Harness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness(tmp);
    }

    @Test
    void whiteoutBecomesCharacterDeviceZeroZero() throws Exception {
        h.extract(new TarBuilder().dir("data").whiteout("data/.wh.delete-me.txt").whiteout(".wh.top").tar());
        assertEquals("character special file 0:0", Harness.stat(h.root.resolve("data/delete-me.txt"), "%F %t:%T"));
        assertEquals("character special file 0:0", Harness.stat(h.root.resolve("top"), "%F %t:%T"));
        assertFalse(Files.exists(h.root.resolve("data/.wh.delete-me.txt")), "no .wh. names remain");
        h.assertOutsideUntouched();
    }

    @Test
    void case14_opaqueAfterSiblingsKeepsThisLayersEntries() throws Exception {
        h.extract(new TarBuilder().dir("a").dir("a/b").dir("a/b/c").file("a/b/c/foo", "kept")
                .whiteout("a/.wh..wh..opq").dir("plain").tar());
        assertEquals("y", Harness.xattr(h.root.resolve("a"), "trusted.overlay.opaque"));
        assertEquals("kept", Files.readString(h.root.resolve("a/b/c/foo")));
        assertFalse(Files.exists(h.root.resolve("a/.wh..wh..opq")));
        assertNull(Harness.xattr(h.root.resolve("plain"), "trusted.overlay.opaque"));
        assertNull(Harness.xattr(h.root.resolve("a/b"), "trusted.overlay.opaque"));
        h.assertOutsideUntouched();
    }

    @Test
    void whiteoutOfThisLayersDirectoryMakesItOpaqueInsteadOfDeletingIt() throws Exception {
        h.extract(new TarBuilder().dir("d").file("d/mine", "m").whiteout(".wh.d").file("f", "f").whiteout(".wh.f").tar());
        assertEquals("y", Harness.xattr(h.root.resolve("d"), "trusted.overlay.opaque"));
        assertEquals("m", Files.readString(h.root.resolve("d/mine")));
        assertEquals("f", Files.readString(h.root.resolve("f")), "a whiteout hides lower layers only");
        h.assertOutsideUntouched();
    }

    @Test
    void case21_manyNestedOpaqueDirectories() throws Exception {
        TarBuilder t = new TarBuilder();
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            path.append(i == 0 ? "" : "/").append('d');
            t.dir(path.toString()).whiteout(path + "/.wh..wh..opq");
        }
        for (int i = 0; i < 1000; i++) {
            t.whiteout("wide/w" + i + "/.wh..wh..opq");
        }
        h.extract(t.tar());
        assertEquals("y", Harness.xattr(h.root.resolve(path.toString()), "trusted.overlay.opaque"));
        assertEquals("y", Harness.xattr(h.root.resolve("d"), "trusted.overlay.opaque"));
        assertEquals("y", Harness.xattr(h.root.resolve("wide/w999"), "trusted.overlay.opaque"));
        h.assertOutsideUntouched();
        FileTree.delete(h.root.resolve("d")); // JUnit's own clean-up resolves each path again: quadratic
    }

    @Test
    void case15_forgedOverlayXattrsAreDropped() throws Exception {
        byte[] binary = {(byte) 0x01, 0, 0, (byte) 0x02, (byte) 0xff, (byte) 0x80, 0x00, 0x7f};
        byte[] layer = new RawTar()
                .pax(RawTar.record("SCHILY.xattr.trusted.overlay.opaque", "y".getBytes()),
                        RawTar.record("SCHILY.xattr.trusted.overlay.redirect", "/etc".getBytes()),
                        RawTar.record("SCHILY.xattr.trusted.overlay.overlay.opaque", "y".getBytes()),
                        RawTar.record("SCHILY.xattr.user.overlay.opaque", "y".getBytes()),
                        RawTar.record("SCHILY.xattr.user.keep", binary))
                .entry("dir/", '5', new byte[0])
                .pax(RawTar.record("SCHILY.xattr.trusted.overlay.whiteout", "y".getBytes()),
                        RawTar.record("SCHILY.xattr.trusted.keep", "t".getBytes()))
                .entry("dir/file", '0', "x".getBytes())
                .tar();
        h.extract(layer);
        Path dir = h.root.resolve("dir");
        assertNull(Harness.xattr(dir, "trusted.overlay.opaque"));
        assertNull(Harness.xattr(dir, "trusted.overlay.redirect"));
        assertNull(Harness.xattr(dir, "trusted.overlay.overlay.opaque"));
        assertNull(Harness.xattr(dir, "user.overlay.opaque"));
        assertArrayEquals(binary, Posix.lgetxattr(dir, "user.keep"), "binary xattr values survive byte for byte");
        assertNull(Harness.xattr(dir.resolve("file"), "trusted.overlay.whiteout"));
        assertEquals("t", Harness.xattr(dir.resolve("file"), "trusted.keep"));
        h.assertOutsideUntouched();
    }

    @Test
    void case16_theRootCannotChangeType() throws Exception {
        h.rejects(new TarBuilder().symlink(".", "/").tar());
        h.rejects(new TarBuilder().symlink("./", h.victim.toString()).tar());
        h.rejects(new TarBuilder().file(".", "x").tar());
        h.rejects(new TarBuilder().symlink("..", "/").tar());
        h.rejects(new TarBuilder().symlink("a/../..", "/").tar());

        h.extract(new TarBuilder().dir("./", 0750, e -> e.setIds(0, 0)).file("./f", "x").tar());
        assertEquals("directory 750", Harness.stat(h.root, "%F %a"), "a root directory entry sets the root's metadata");
        h.assertOutsideUntouched();
    }

    @Test
    void case17_devicesOnlyWhenAllowed() throws Exception {
        byte[] layer = new TarBuilder().dir("dev").device("dev/mem", TarConstants.LF_CHR, 1, 1, 0666)
                .device("dev/loop0", TarConstants.LF_BLK, 7, 0, 0660).device("dev/big", TarConstants.LF_CHR, 4095, 1048575, 0600)
                .fifo("dev/fifo").tar();
        h.extract(layer, ExtractOptions.defaults().withDevices(true));
        assertEquals("character special file 1:1 666", Harness.stat(h.root.resolve("dev/mem"), "%F %t:%T %a"));
        assertEquals("block special file 7:0 660", Harness.stat(h.root.resolve("dev/loop0"), "%F %t:%T %a"));
        assertEquals("character special file fff:fffff", Harness.stat(h.root.resolve("dev/big"), "%F %t:%T"));
        assertEquals("fifo", Harness.stat(h.root.resolve("dev/fifo"), "%F"));
        h.assertOutsideUntouched();
    }

    @Test
    void case17_devicesSkippedWhenNotAllowedButWhiteoutsStay() throws Exception {
        byte[] layer = new TarBuilder().dir("dev").device("dev/mem", TarConstants.LF_CHR, 1, 1, 0666)
                .device("dev/sda", TarConstants.LF_BLK, 8, 0, 0660).device("gone", TarConstants.LF_CHR, 0, 0, 0)
                .whiteout(".wh.gone2").tar();
        h.extract(layer, ExtractOptions.defaults().withDevices(false));
        assertFalse(Files.exists(h.root.resolve("dev/mem"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(h.root.resolve("dev/sda"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals("character special file 0:0", Harness.stat(h.root.resolve("gone"), "%F %t:%T"));
        assertEquals("character special file 0:0", Harness.stat(h.root.resolve("gone2"), "%F %t:%T"));
        h.assertOutsideUntouched();
    }

    @Test
    void case17_deviceNumbersBeyondUint32AreRefused() throws Exception {
        byte[] layer = new RawTar().pax(RawTar.record("SCHILY.devmajor", "4294967296".getBytes()))
                .entry("dev/x", '3', new byte[0]).tar();
        h.rejects(layer, ExtractOptions.defaults().withDevices(true));
    }

    @Test
    void case18_ownerIsSetBeforeModeSoSpecialBitsSurvive() throws Exception {
        h.extract(new TarBuilder()
                .file("suid", "x", 04755, e -> e.setIds(1000, 1000))
                .file("sgid", "x", 02711, e -> e.setIds(0, 50))
                .dir("sticky", 01777, e -> e.setIds(0, 0))
                .dir("shared", 02775, e -> e.setIds(1001, 1001))
                .file("big", "x", 0644, e -> {
                    e.setUserId(2147483653L);
                    e.setGroupId(4294967294L);
                })
                .tar());
        assertEquals("4755 1000:1000", Harness.stat(h.root.resolve("suid"), "%a %u:%g"));
        assertEquals("2711 0:50", Harness.stat(h.root.resolve("sgid"), "%a %u:%g"));
        assertEquals("1777", Harness.stat(h.root.resolve("sticky"), "%a"));
        assertEquals("2775 1001:1001", Harness.stat(h.root.resolve("shared"), "%a %u:%g"));
        assertEquals("2147483653:4294967294", Harness.stat(h.root.resolve("big"), "%u:%g"), "no wrap to 0 (CVE-2024-40635)");
        h.assertOutsideUntouched();
    }

    @Test
    void case18_idsOutsideUint32AreRefused() throws Exception {
        h.rejects(new TarBuilder().file("a", "x", 0644, e -> e.setUserId(4294967296L)).tar());
        h.rejects(new TarBuilder().file("a", "x", 0644, e -> e.setGroupId(4294967295L)).tar());
        h.rejects(new RawTar().pax(RawTar.record("uid", "99999999999999999999".getBytes()))
                .entry("a", '0', "x".getBytes()).tar());
        h.rejects(new RawTar().pax(RawTar.record("uid", "-1".getBytes())).entry("a", '0', "x".getBytes()).tar());
    }

    @Test
    void case19_duplicatesAndTypeFlipsReplaceDirectoriesMerge() throws Exception {
        h.extract(new TarBuilder()
                .file("dup", "first").file("dup", "second")
                .file("flip", "file").dir("flip").file("flip/child", "c").symlink("flip", "dup")
                .dir("merge", 0700, e -> { }).file("merge/one", "1").dir("merge", 0751, e -> { }).file("merge/two", "2")
                .symlink("s", h.victim.toString()).dir("s").file("s/inside", "in")
                .tar());
        assertEquals("second", Files.readString(h.root.resolve("dup")));
        assertTrue(Files.isSymbolicLink(h.root.resolve("flip")));
        assertEquals("dup", Files.readSymbolicLink(h.root.resolve("flip")).toString());
        assertEquals("1", Files.readString(h.root.resolve("merge/one")));
        assertEquals("2", Files.readString(h.root.resolve("merge/two")));
        assertEquals("751", Harness.stat(h.root.resolve("merge"), "%a"), "the later directory entry's metadata wins");
        assertEquals("directory", Harness.stat(h.root.resolve("s"), "%F"), "a directory replaces the symlink");
        assertEquals("in", Files.readString(h.root.resolve("s/inside")));
        h.assertOutsideUntouched();
    }

    @Test
    void timesAndReadOnlyDirectoriesAreRestoredAfterTheirChildren() throws Exception {
        h.extract(new TarBuilder().dir("ro", 0555, e -> { }).file("ro/f", "x", 0444, e -> { }).tar());
        assertEquals("555 1577934245", Harness.stat(h.root.resolve("ro"), "%a %Y"));
        assertEquals("444 1577934245.1234567", Harness.stat(h.root.resolve("ro/f"), "%a %.7Y"), "PAX mtime (Commons Compress writes 100 ns)");
        h.assertOutsideUntouched();
    }

    @Test
    void utf8NamesWork() throws Exception {
        h.extract(new TarBuilder().file("héllo/wörld-日本", "ok").tar());
        assertEquals("ok", Files.readString(h.root.resolve("héllo/wörld-日本"), StandardCharsets.UTF_8));
    }
}
