package org.unicon.hostfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class MountTableTest {

    private static final List<String> MOUNTINFO = List.of(
            "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
            "40 22 0:35 / /srv/a rw,relatime shared:20 - tmpfs tmpfs rw",
            "41 40 0:36 / /srv/a/with\\040space rw - tmpfs tmpfs rw",
            "42 40 0:37 / /srv/a/tab\\011newline\\012back\\134slash rw - tmpfs tmpfs rw",
            "43 22 0:38 / /srv/ab rw - tmpfs tmpfs rw",
            "truncated line",
            "44 40 8:1 /data /srv/a/bound rw - ext4 /dev/sda1 rw",
            "45 40 0:39 / /srv/a rw - tmpfs tmpfs rw");

    @Test
    void listsMountPointsAtOrBelowADirectoryLastMountedFirst() {
        assertEquals(List.of(Path.of("/srv/a"), Path.of("/srv/a/bound"), Path.of("/srv/a/tab\tnewline\nback\\slash"),
                Path.of("/srv/a/with space"), Path.of("/srv/a")),
                MountTable.mountPointsAtOrUnder(Path.of("/srv/a"), MOUNTINFO),
                "/srv/ab is a sibling, not below /srv/a; the stacked mount at /srv/a is listed twice");
    }

    @Test
    void undoesTheKernelsOctalEscapesOnly() {
        assertEquals("a b\tc\nd\\e", MountTable.unescape("a\\040b\\011c\\012d\\134e"));
        assertEquals("plain", MountTable.unescape("plain"));
        assertEquals("\\09x \\8", MountTable.unescape("\\09x\\040\\8"), "not three octal digits: kept as is");
        assertEquals("end\\04", MountTable.unescape("end\\04"));
    }

    @Test
    void findsARealMountWhosePathTheKernelEscapes() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path odd = Scratch.tmpfs(scratch.path.resolve("a b\tc\\d"));

            assertEquals(List.of(odd), MountTable.mountPointsAtOrUnder(scratch.path));
            assertEquals(List.of(odd), MountTable.mountPointsAtOrUnder(odd));

            Unmounter.unmountAll(scratch.path);
            assertEquals(List.of(), MountTable.mountPointsAtOrUnder(scratch.path));
        }
    }

    @Test
    void resolvesLinksInTheDirectoryAndTakesAMissingOneAsIs() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path mounted = Scratch.tmpfs(scratch.path.resolve("mounted"));
            Path link = Files.createSymbolicLink(scratch.path.resolve("link"), mounted);

            assertEquals(List.of(mounted), MountTable.mountPointsAtOrUnder(link));
            assertEquals(List.of(mounted), MountTable.mountPointsAtOrUnder(scratch.path.resolve("missing/../mounted")),
                    "a path that does not resolve is normalized");

            Unmounter.unmountAll(scratch.path);
        }
    }
}
