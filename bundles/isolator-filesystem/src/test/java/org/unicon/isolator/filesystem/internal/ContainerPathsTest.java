package org.unicon.isolator.filesystem.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerPathsTest {
    @TempDir
    Path rootfs;

    @BeforeEach
    void image() throws IOException {
        Files.createDirectories(rootfs.resolve("usr/lib"));
        Files.createDirectories(rootfs.resolve("run"));
        Files.createDirectories(rootfs.resolve("var"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.createSymbolicLink(rootfs.resolve("lib"), Path.of("usr/lib"));
        Files.createSymbolicLink(rootfs.resolve("var/run"), Path.of("/run"));
        Files.createSymbolicLink(rootfs.resolve("var/up"), Path.of("../etc"));
        Files.createSymbolicLink(rootfs.resolve("escape"), Path.of("../../../../etc"));
        Files.createSymbolicLink(rootfs.resolve("host"), Path.of("/etc"));
        Files.createSymbolicLink(rootfs.resolve("loop"), Path.of("loop"));
    }

    @Test
    void normalizeDropsEmptyAndDotComponents() {
        assertEquals("/data/x", ContainerPaths.normalize("//data/./x/", "p"));
        assertEquals("data/x", ContainerPaths.normalize("./data//x", "p"));
        assertEquals("/", ContainerPaths.normalize("/", "p"));
        assertEquals(".", ContainerPaths.normalize(".", "p"));
    }

    @Test
    void normalizeRefusesDotDot() {
        for (String path : new String[] {"/data/../etc", "..", "a/..", "../x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ContainerPaths.normalize(path, "container_path"));
            assertEquals("container_path '" + path + "' contains '..'; give a path without it", e.getMessage());
        }
    }

    @Test
    void resolveKeepsPathsWithoutSymlinksAndMissingOnes() throws IOException {
        assertEquals("/etc/passwd", ContainerPaths.resolve(rootfs, "/etc/passwd", "p"));
        assertEquals("/data/deep/dir", ContainerPaths.resolve(rootfs, "/data/deep/dir", "p"));
    }

    @Test
    void resolveFollowsTheImagesSymlinksInsideTheRootfs() throws IOException {
        assertEquals("/usr/lib/x", ContainerPaths.resolve(rootfs, "/lib/x", "p"));
        assertEquals("/run/app", ContainerPaths.resolve(rootfs, "/var/run/app", "p"));
        assertEquals("/etc/x", ContainerPaths.resolve(rootfs, "/var/up/x", "p"));
    }

    @Test
    void anAbsoluteSymlinkStaysInTheRootfsAsTheKernelWillSeeIt() throws IOException {
        // On the host /etc is the host's; in the container it is the image's.
        assertEquals("/etc/x", ContainerPaths.resolve(rootfs, "/host/x", "p"));
    }

    @Test
    void resolveRefusesASymlinkThatClimbsAboveTheRoot() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContainerPaths.resolve(rootfs, "/escape/shadow", "volume 1 ('/escape/shadow'): container_path"));
        assertEquals("volume 1 ('/escape/shadow'): container_path '/escape/shadow' escapes the container's root"
                + " filesystem through a symlink in the image", e.getMessage());
    }

    @Test
    void resolveRefusesAPathThroughAFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContainerPaths.resolve(rootfs, "/etc/passwd/x", "p"));
        assertEquals("p '/etc/passwd/x' goes through '/etc/passwd', which is not a directory in the image",
                e.getMessage());
    }

    @Test
    void resolveRefusesSymlinkLoops() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContainerPaths.resolve(rootfs, "/loop/x", "p"));
        assertTrue(e.getMessage().contains("more than 40 symlinks"), e.getMessage());
    }
}
