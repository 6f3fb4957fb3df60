package org.unicon.hostfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class UnmounterTest {

    @Test
    void takesANestedTreeOfMountsOffAndLeavesOthersAlone() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path source = scratch.preciousDirectory("source");
            Path tree = Scratch.tmpfs(scratch.path.resolve("tree"));
            Scratch.tmpfs(tree);
            Path inner = Scratch.tmpfs(tree.resolve("inner"));
            Path bound = Scratch.bind(source, inner.resolve("bound"));
            Path sibling = Scratch.tmpfs(scratch.path.resolve("tree-sibling"));
            assertEquals(List.of(bound, inner, tree, tree), MountTable.mountPointsAtOrUnder(tree));

            Unmounter.unmountAll(tree);

            assertEquals(List.of(), MountTable.mountPointsAtOrUnder(tree));
            assertEquals(List.of(sibling), MountTable.mountPointsAtOrUnder(scratch.path), "a sibling with a common prefix");
            Scratch.assertPreciousKept(source);
            Unmounter.unmountAll(sibling);
        }
    }

    @Test
    void detachesABusyMountLazilyInTheEnd() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path busy = Scratch.tmpfs(scratch.path.resolve("busy"));
            Process inside = new ProcessBuilder("sleep", "600").directory(busy.toFile()).start();
            try {
                Unmounter.unmountAll(busy);

                assertEquals(List.of(), MountTable.mountPointsAtOrUnder(scratch.path));
            } finally {
                inside.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void nothingMountedOrNoDirectoryIsNoError() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Unmounter.unmountAll(scratch.path);
            Unmounter.unmountAll(scratch.path.resolve("never-created"));
            assertEquals(List.of(), Unmounter.detachAll(scratch.path.resolve("never-created")));
        }
    }

    @Test
    void detachAllReportsWhatWasMountedAndLeavesNothing() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path outer = Scratch.tmpfs(scratch.path.resolve("outer"));
            Path inner = Scratch.tmpfs(outer.resolve("inner"));

            assertEquals(List.of(inner, outer), Unmounter.detachAll(scratch.path));

            assertEquals(List.of(), MountTable.mountPointsAtOrUnder(scratch.path));
        }
    }
}
