package org.unicon.store.appc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.layers.ExtractOptions;
import org.unicon.layers.Limits;
import org.unicon.store.PullProgress;

/**
 * Hostile ACIs, in the layers library's harness (moby's testBreakout): a {@code victim/hello}
 * beside the store, host paths probed by a fresh name. Each case must be refused naming the
 * offending entry, change nothing outside the store and leave nothing in it.
 */
class MaliciousAciTest {
    private static final String NAME = "example.com/evil";

    @TempDir
    Path temp;
    Path acis;
    Path storeDir;
    Path victim;
    String probe;

    @BeforeEach
    void setUp() throws IOException {
        acis = Files.createDirectories(temp.resolve("acis"));
        storeDir = temp.resolve("store");
        victim = Files.createDirectories(temp.resolve("victim"));
        Files.writeString(victim.resolve("hello"), "hello");
        probe = "unicon-probe-" + UUID.randomUUID();
    }

    @Test
    void namesClimbingOutOfTheRootfsAreRefused() throws Exception {
        refused(aci().file("rootfs/../../../../victim/evil", "x"), "entry 'rootfs/../../../../victim/evil'");
        refused(aci().file("../victim/evil", "x"), "entry '../victim/evil'");
    }

    @Test
    void writingThroughASymlinkIsRefused() throws Exception {
        refused(aci().symlink("rootfs/l", "../../../../victim").file("rootfs/l/evil", "x"), "symbolic link");
        refused(aci().symlink("rootfs/etc", "/etc").file("rootfs/etc/" + probe, "x"), "symbolic link");
        assertFalse(Files.exists(Path.of("/etc", probe)));
    }

    @Test
    void hardLinksOutOfTheRootfsAreRefused() throws Exception {
        refused(aci().hardlink("rootfs/m", "manifest"), "outside rootfs/");
        refused(aci().hardlink("rootfs/p", "/etc/passwd"), "entry 'rootfs/p'");
        refused(aci().hardlink("rootfs/v", "rootfs/../../../../victim/hello"), "entry 'rootfs/v'");
    }

    @Test
    void theLayersLibrarysLimitsApply() throws Exception {
        AciBuilder.image(NAME, "1").exec("/bin/sh").build(acis);
        AppcStore fewEntries = store(ExtractOptions.defaults().withLimits(Limits.defaults().withMaxEntries(50)));
        Exception e = assertThrows(IOException.class, () -> fewEntries.get(TestImages.appc(NAME, "version", "1"),
                PullProgress.none()));
        assertTrue(e.getMessage().contains("is refused: invalid layer"), e.getMessage());
        assertNothingStoredOrChanged();

        aci().file("rootfs/zeros", "\0".repeat(2 * 1024 * 1024)).write(acis, NAME, "1");
        AppcStore smallImages = store(ExtractOptions.defaults().withLimits(Limits.defaults()
                .withMaxExpandedBytes(1024 * 1024)));
        Exception bomb = assertThrows(IOException.class, () -> smallImages.get(TestImages.appc(NAME, "version", "1"),
                PullProgress.none()));
        assertTrue(bomb.getMessage().contains("invalid layer"), bomb.getMessage());
        assertNothingStoredOrChanged();
    }

    @Test
    void aTruncatedAciIsRefused() throws Exception {
        Path aci = AciBuilder.image(NAME, "1").exec("/bin/sh").build(acis);
        byte[] whole = Files.readAllBytes(aci);
        Files.write(aci, java.util.Arrays.copyOf(whole, whole.length / 2));

        assertThrows(IOException.class, () -> store(ExtractOptions.defaults())
                .get(TestImages.appc(NAME, "version", "1"), PullProgress.none()));
        assertNothingStoredOrChanged();
    }

    private AciTar aci() throws IOException {
        return new AciTar().file("manifest", AciTar.manifest(NAME, "1")).dir("rootfs").file("rootfs/ok", "ok");
    }

    private void refused(AciTar hostile, String says) throws Exception {
        Map<String, String> before = outsideTheStore();
        hostile.write(acis, NAME, "1");
        Map<String, String> withAci = outsideTheStore();
        Exception e = assertThrows(IOException.class, () -> store(ExtractOptions.defaults())
                .get(TestImages.appc(NAME, "version", "1"), PullProgress.none()));
        assertTrue(e.getMessage().contains("is refused: invalid layer: "), e.getMessage());
        assertTrue(e.getMessage().contains(says), "'" + e.getMessage() + "' says " + says);
        assertEquals(withAci, outsideTheStore(), "nothing outside the store changed");
        assertEquals(before.get("victim/hello"), withAci.get("victim/hello"));
        assertNothingStoredOrChanged();
    }

    private AppcStore store(ExtractOptions options) throws IOException {
        return new AppcStore(storeDir, SimpleDiscovery.parse(acis.toUri().toString()), options, Clock.systemUTC());
    }

    private void assertNothingStoredOrChanged() throws IOException {
        for (String dir : List.of("staging", "images", "references")) {
            assertEquals(List.of(), AppcStoreTest.list(storeDir.resolve(dir)), dir + " is empty");
        }
        assertEquals("hello", Files.readString(victim.resolve("hello")));
        try (Stream<Path> s = Files.list(victim)) {
            assertEquals(1, s.count(), "only hello in " + victim);
        }
    }

    /** Every path under the temp dir but the store, with its type and content. */
    private Map<String, String> outsideTheStore() throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> s = Files.walk(temp)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.startsWith(storeDir)) {
                    continue;
                }
                String value = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
                        : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir"
                        : Files.size(p) + " " + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
                entries.put(temp.relativize(p).toString(), value);
            }
        }
        return entries;
    }
}
