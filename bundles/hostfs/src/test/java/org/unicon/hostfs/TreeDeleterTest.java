package org.unicon.hostfs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class TreeDeleterTest {

    @Test
    void deletesATreeButNeverWhatItsLinksPointTo() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path outside = scratch.preciousDirectory("outside");
            Path tree = scratch.directory("tree/a/b");
            Files.writeString(tree.resolve("file"), "gone");
            Files.createSymbolicLink(tree.resolve("dir-link"), outside);
            Files.createSymbolicLink(tree.resolve("file-link"), outside.resolve("precious"));
            Files.createSymbolicLink(tree.resolve("dangling"), scratch.path.resolve("nothing"));
            Path rootLink = Files.createSymbolicLink(scratch.path.resolve("root-link"), outside);

            TreeDeleter.delete(scratch.path.resolve("tree"));
            TreeDeleter.delete(rootLink);

            assertFalse(Files.exists(scratch.path.resolve("tree"), LinkOption.NOFOLLOW_LINKS));
            assertFalse(Files.exists(rootLink, LinkOption.NOFOLLOW_LINKS));
            Scratch.assertPreciousKept(outside);
        }
    }

    @Test
    void aMissingTreeIsNoError() throws Exception {
        try (Scratch scratch = new Scratch()) {
            TreeDeleter.delete(scratch.path.resolve("never-created"));
        }
    }

    @Test
    void refusesToReachThroughAnotherFilesystemMountedInside() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path tree = scratch.directory("tree");
            Path volume = Scratch.tmpfs(tree.resolve("volume"));
            Files.writeString(volume.resolve("precious"), "keep me");

            IOException refused = assertThrows(IOException.class, () -> TreeDeleter.delete(tree));

            assertTrue(refused.getMessage().contains(volume + " is mounted inside it"), refused.getMessage());
            Scratch.assertPreciousKept(volume);
            Unmounter.unmountAll(tree);
        }
    }

    @Test
    void refusesToReachThroughABindMountOfTheSameFilesystem() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path host = scratch.preciousDirectory("host");
            Path tree = scratch.directory("tree");
            Path bound = Scratch.bind(host, tree.resolve("sub/bound"));

            IOException refused = assertThrows(IOException.class, () -> TreeDeleter.delete(tree));

            assertTrue(refused.getMessage().contains(bound + " is mounted inside it"), refused.getMessage());
            Scratch.assertPreciousKept(host);
            Unmounter.unmountAll(tree);
            TreeDeleter.delete(tree);
            assertFalse(Files.exists(tree, LinkOption.NOFOLLOW_LINKS));
            Scratch.assertPreciousKept(host);
        }
    }

    @Test
    void refusesToDeleteAMountPoint() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path host = scratch.preciousDirectory("host");
            Path rootfs = Scratch.bind(host, scratch.path.resolve("rootfs"));

            IOException refused = assertThrows(IOException.class, () -> TreeDeleter.delete(rootfs));

            assertTrue(refused.getMessage().contains("it is a mount point"), refused.getMessage());
            Scratch.assertPreciousKept(host);
            Unmounter.unmountAll(rootfs);
        }
    }
}
