package org.unicon.backend.overlay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.unicon.testkit.backend.ConformanceImages;

/**
 * The whiteouts of stored layers (character devices 0/0, written by the layers library's overlay
 * form), found once per layer: where the overlay backend looks for phantom whiteouts.
 */
class LayerWhiteoutsTest {

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
    void findsEveryWhiteoutOfALayerAndNothingElse() throws Exception {
        Path victim = Files.createDirectories(scratch.path.resolve("victim"));
        List<Path> layers = ConformanceImages.writeOverlayForm(ConformanceImages.whiteoutImage(victim),
                scratch.path.resolve("layers"));
        LayerWhiteouts whiteouts = new LayerWhiteouts();

        assertEquals(List.of(), whiteouts.of(layers.get(0)), "busybox has none");
        assertEquals(List.of(), whiteouts.of(layers.get(1)), "the second layer has none");
        assertEquals(List.of(Path.of("bin/vi"), Path.of("conf/y"), Path.of("data/delete-me.txt"), Path.of("gone"),
                Path.of("localetc/x")), whiteouts.of(layers.get(2)).stream().sorted().toList());
        assertSame(whiteouts.of(layers.get(2)), whiteouts.of(layers.get(2)), "a layer is walked once");
    }
}
