package org.unicon.backend.overlay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.unicon.backend.copy.internal.CopyBackendComponent;
import org.unicon.hostfs.MountTable;
import org.unicon.provisioner.ProvisionerBackend;
import org.unicon.testkit.backend.ConformanceImages;
import org.unicon.testkit.backend.FileTree;
import org.unicon.testkit.backend.LayerBuilder;

/**
 * The same stored layers give the same tree through overlay and through copy (types, modes,
 * owners, link targets, contents, xattrs, hardlinks), and both equal {@code umoci unpack} of the
 * same image built as an OCI layout.
 */
class CopyAndOverlayAgreeTest {

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
    void whiteoutOpaqueHardlinkSymlinkImage() throws Exception {
        Path victim = Files.createDirectories(scratch.path.resolve("victim"));
        List<LayerBuilder> image = new ArrayList<>(ConformanceImages.whiteoutImage(victim));
        image.add(ConformanceImages.everyKind());
        List<Path> layers = ConformanceImages.writeOverlayForm(image, scratch.path.resolve("layers"));
        FileTree umoci = FileTree.of(ConformanceImages.umociUnpack(image, scratch.path.resolve("umoci")));
        ProvisionerBackend copy = new CopyBackendComponent();
        ProvisionerBackend overlay = new OverlayBackend();
        Path copied = Files.createDirectories(scratch.path.resolve("containers/copy/rootfs"));
        Path mounted = Files.createDirectories(scratch.path.resolve("containers/overlay/rootfs"));
        copy.provision(layers, copied);
        overlay.provision(layers, mounted);
        try {
            FileTree byCopy = FileTree.of(copied);
            FileTree byOverlay = FileTree.of(mounted).withoutXattrs("trusted.overlay.");

            assertSame(byCopy, byOverlay, "copy (-) vs overlay (+)");
            assertSame(umoci, byCopy, "umoci unpack (-) vs copy (+)");
            assertEquals(umoci.paths().size(), byOverlay.paths().size());
        } finally {
            overlay.destroy(mounted);
            copy.destroy(copied);
        }
        assertEquals(List.of(), MountTable.mountPointsAtOrUnder(scratch.path));
    }

    private static void assertSame(FileTree expected, FileTree actual, String what) {
        String differences = expected.differences(actual, 40);
        if (!differences.isEmpty()) {
            fail(what + ":\n" + differences);
        }
    }
}
