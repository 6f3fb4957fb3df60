package org.unicon.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingAreaTest {

    @TempDir
    Path tmp;

    private static final int FILES = 50;

    private static byte[] layer() {
        TarBuilder t = new TarBuilder().dir("d");
        for (int i = 0; i < FILES; i++) {
            t.file("d/f" + i, "content " + i);
        }
        return t.tar();
    }

    @Test
    void createMakesPrivateUniqueDirectories() throws Exception {
        StagingArea area = new StagingArea(tmp.resolve("staging"));
        Path a = area.create("sha256-abc");
        Path b = area.create("sha256-abc");
        assertFalse(a.equals(b));
        assertEquals(area.root(), a.getParent());
        assertTrue(a.getFileName().toString().startsWith("sha256-abc."));
        assertEquals("700", Harness.stat(area.root(), "%a"), "staging is private");
        assertEquals("755", Harness.stat(a, "%a"), "a future layer root");
        for (String bad : new String[] {"", "..", "../x", "a/b", ".hidden", "-x", "x y", "x\0"}) {
            assertThrows(IllegalArgumentException.class, () -> area.create(bad), bad);
        }
    }

    @Test
    void commitPublishesAndALoserLeavesTheWinnerAlone() throws Exception {
        StagingArea area = new StagingArea(tmp.resolve("staging"));
        Path target = tmp.resolve("layers/sha256-x");
        Path first = area.create("x");
        Files.writeString(first.resolve("f"), "first");
        assertTrue(area.commit(first, target));
        assertEquals("first", Files.readString(target.resolve("f")));
        assertFalse(Files.exists(first));

        Path second = area.create("x");
        Files.writeString(second.resolve("f"), "second");
        assertFalse(area.commit(second, target));
        assertFalse(Files.exists(second), "the loser's copy is deleted");
        assertEquals("first", Files.readString(target.resolve("f")));

        Path empty = area.create("x");
        Files.createDirectories(tmp.resolve("layers/empty-target"));
        assertFalse(area.commit(empty, tmp.resolve("layers/empty-target")), "even an empty target directory wins");
        assertThrows(IllegalArgumentException.class, () -> area.commit(tmp.resolve("layers/sha256-x"), tmp.resolve("y")));
    }

    @Test
    void concurrentCommittersOneWinsNothingIsHalfVisible() throws Exception {
        byte[] tar = layer();
        StagingArea area = new StagingArea(tmp.resolve("staging"));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 10; round++) {
                Path target = tmp.resolve("layers/round" + round);
                CyclicBarrier start = new CyclicBarrier(2);
                AtomicBoolean done = new AtomicBoolean();
                List<String> torn = new CopyOnWriteArrayList<>();
                Future<?> watcher = pool.submit(() -> {
                    while (!done.get()) {
                        if (Files.exists(target)) {
                            try (var s = Files.list(target.resolve("d"))) {
                                long n = s.count();
                                if (n != FILES) {
                                    torn.add("saw " + n + " files");
                                }
                            } catch (Exception e) {
                                torn.add(e.toString());
                            }
                        }
                    }
                    return null;
                });
                List<Future<Boolean>> committers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    committers.add(pool.submit(() -> {
                        Path staged = area.create("layer");
                        LayerExtractor.extract(new ByteArrayInputStream(tar), staged, ExtractOptions.defaults());
                        start.await();
                        return area.commit(staged, target);
                    }));
                }
                int wins = 0;
                for (Future<Boolean> f : committers) {
                    wins += f.get() ? 1 : 0;
                }
                done.set(true);
                watcher.get();
                assertEquals(1, wins, "exactly one committer wins");
                assertEquals(List.of(), torn);
                try (var s = Files.list(target.resolve("d"))) {
                    assertEquals(FILES, s.count());
                }
                try (var s = Files.list(area.root())) {
                    assertEquals(0, s.count(), "no staging leftovers");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void clearRemovesLeftoversOfInterruptedWork() throws Exception {
        StagingArea area = new StagingArea(tmp.resolve("staging"));
        Path half = area.create("half");
        LayerExtractor.extract(new ByteArrayInputStream(new TarBuilder().dir("ro", 0555, e -> { })
                .file("ro/f", "x", 0400, e -> { }).device("wh", TarConstants.LF_CHR, 0, 0, 0)
                .symlink("out", tmp.toString()).tar()), half, ExtractOptions.defaults());
        Path other = area.create("other");
        Files.writeString(tmp.resolve("keep"), "keep");
        area.clear();
        try (var s = Files.list(area.root())) {
            assertEquals(0, s.count());
        }
        assertFalse(Files.exists(other));
        assertEquals("keep", Files.readString(tmp.resolve("keep")), "clear never follows a link out");
        new StagingArea(tmp.resolve("never-used")).clear();
    }
}
