package org.unicon.backend.overlay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicon.hostfs.MountTable;
import org.unicon.testkit.backend.LayerBuilder;

/**
 * Many layers at store-length paths: the classic option string would need over 50 KB for 500
 * of them, over ten times the 4096 bytes mount(2) takes. Both mount routes must reach the kernel's
 * 500, and 501 must fail clearly with nothing mounted or left behind.
 */
class OverlayLayerLimitTest {

    private ScratchDirectory scratch;

    @BeforeEach
    void create() throws IOException {
        scratch = new ScratchDirectory();
    }

    @AfterEach
    void clean() throws IOException {
        scratch.close();
    }

    static Stream<Arguments> routesAndCounts() {
        return Stream.of(Arguments.of("mount-api", 200), Arguments.of("mount-api", 500),
                Arguments.of("short-links", 200), Arguments.of("short-links", 500));
    }

    @ParameterizedTest(name = "{0}: {1} layers")
    @MethodSource("routesAndCounts")
    void stacksUpToTheKernelLimit(String route, int count) throws Exception {
        List<Path> layers = layers(count);
        long optionBytes = layers.stream().mapToLong(p -> p.toString().length() + 1).sum();
        // (6, not 7: the temporary directory's random suffix varies in length, and 200 layers of
        // it came to 28600 bytes, just under 7 pages, in one run)
        assertTrue(optionBytes > 4096 * 6, "paths long enough to overflow one page many times: " + optionBytes);
        OverlayBackend backend = backend(route);
        Path rootfs = rootfs();

        backend.provision(layers, rootfs);

        try (Stream<Path> entries = Files.list(rootfs.resolve("l"))) {
            assertEquals(count - 1, entries.count(), "one file per layer, one whited out");
        }
        assertFalse(Files.exists(rootfs.resolve("l/10")), "whited out by layer 101");
        assertEquals(Integer.toString(count - 1), Files.readString(rootfs.resolve("top")), "the top layer wins");
        assertEquals("base", Files.readString(rootfs.resolve("base")), "the base layer shows through");
        backend.destroy(rootfs);
        assertDestroyed(rootfs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void refusesMoreThanTheKernelLimit(String route) throws Exception {
        List<Path> layers = layers(501);
        OverlayBackend backend = backend(route);
        Path rootfs = rootfs();

        IOException refused = assertThrows(IOException.class, () -> backend.provision(layers, rootfs));

        assertEquals("the image has 501 layers, more than the 500 overlayfs can stack (a kernel limit);"
                + " use the copy backend (provisioner_image_backend=copy) for this image", refused.getMessage());
        assertEquals(List.of(), MountTable.mountPointsAtOrUnder(scratch.path));
        assertEquals(List.of(rootfs), list(rootfs.getParent()), "only the empty rootfs the core made");
        backend.destroy(rootfs);
        assertDestroyed(rootfs);
    }

    static Stream<String> routes() {
        return Stream.of("mount-api", "short-links");
    }

    private static OverlayBackend backend(String route) {
        return new OverlayBackend(KernelFilesystems.read(),
                route.equals("mount-api") ? new MountApiOverlay() : new ShortLinkOverlay());
    }

    /** {@code count} layers at paths like the store's (sha256-<64 hex>/rootfs), base first. */
    private List<Path> layers(int count) throws IOException {
        Path store = scratch.path.resolve("store/docker/layers");
        List<Path> layers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LayerBuilder layer = new LayerBuilder().file("l/" + i, Integer.toString(i)).file("top", Integer.toString(i));
            if (i == 0) {
                layer.file("base", "base");
            }
            if (i == 101) {
                layer.whiteout("l/10");
            }
            Path dir = store.resolve(String.format("sha256-%064x", i));
            Files.createDirectories(dir);
            layers.add(layer.writeOverlayForm(dir.resolve("rootfs")));
        }
        return layers;
    }

    private Path rootfs() throws IOException {
        return Files.createDirectories(scratch.path.resolve("provisioner/containers/c1/rootfs"));
    }

    private void assertDestroyed(Path rootfs) throws IOException {
        assertEquals(List.of(), MountTable.mountPointsAtOrUnder(scratch.path));
        assertEquals(List.of(), list(rootfs.getParent()));
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }
}
