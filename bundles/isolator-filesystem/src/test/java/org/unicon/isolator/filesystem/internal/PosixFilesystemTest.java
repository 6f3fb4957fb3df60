package org.unicon.isolator.filesystem.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerInfo;
import org.unicon.model.Volume;
import org.unicon.model.Volume.Source.SandboxPath.Type;
import org.unicon.testkit.isolator.TestContainerContext;
import org.unicon.testkit.isolator.TestRecoveredContainer;

class PosixFilesystemTest extends FilesystemFixture {
    private final ContainerID c1 = ContainerID.newBuilder().setValue("c1").build();

    @Test
    void changesNothingInTheLaunchWithoutVolumes() throws Exception {
        assertEquals(Optional.empty(), new PosixFilesystem().prepare(context(withoutImage().build())));
        assertEquals(List.of("stderr", "stdout"), list(sandbox));
    }

    @Test
    void hostPathVolumesAreSymlinksInTheSandbox() throws Exception {
        PosixFilesystem isolator = new PosixFilesystem();
        isolator.prepare(context(withoutImage(
                hostPath("data", hostData.toString(), Volume.Mode.RW),
                legacyHostPath("deep/er/data", hostData.toString(), Volume.Mode.RW)).build()));

        assertEquals(hostData, Files.readSymbolicLink(sandbox.resolve("data")));
        assertEquals(hostData, Files.readSymbolicLink(sandbox.resolve("deep/er/data")));

        isolator.cleanup(c1);
        assertEquals(List.of("stderr", "stdout"), list(sandbox), "cleanup removes the links and the directories made");
        assertTrue(Files.isDirectory(hostData), "cleanup never touches the volume's content");
    }

    @Test
    void aSelfSandboxPathIsCreatedAndLinked() throws Exception {
        PosixFilesystem isolator = new PosixFilesystem();
        isolator.prepare(context(withoutImage(
                sandboxPath("shared", "shared", Type.SELF),
                sandboxPath("alias", "work/dir", Type.SELF)).build()));

        assertTrue(Files.isDirectory(sandbox.resolve("shared"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isDirectory(sandbox.resolve("work/dir")));
        assertEquals(sandbox.resolve("work/dir"), Files.readSymbolicLink(sandbox.resolve("alias")));
    }

    @Test
    void cleanupAfterARestartRemovesTheLinksFromTheCheckpoint() throws Exception {
        TestContainerContext context = context(withoutImage(hostPath("a/data", hostData.toString(), Volume.Mode.RW)).build());
        new PosixFilesystem().prepare(context);

        PosixFilesystem restarted = new PosixFilesystem();
        restarted.recover(List.of(TestRecoveredContainer.of(context, "filesystem/posix", "0.1.0")), Set.of());
        restarted.cleanup(c1);

        assertEquals(List.of("stderr", "stdout"), list(sandbox));
    }

    @Test
    void cleanupLeavesAReplacedLinkAlone() throws Exception {
        PosixFilesystem isolator = new PosixFilesystem();
        isolator.prepare(context(withoutImage(hostPath("sub/data", hostData.toString(), Volume.Mode.RW)).build()));
        // The container replaced the directory holding the link with a symlink to elsewhere.
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        Files.createSymbolicLink(elsewhere.resolve("data"), hostData);
        Files.delete(sandbox.resolve("sub/data"));
        Files.delete(sandbox.resolve("sub"));
        Files.createSymbolicLink(sandbox.resolve("sub"), elsewhere);

        isolator.cleanup(c1);

        assertTrue(Files.isSymbolicLink(elsewhere.resolve("data")), "cleanup followed a symlink out of the sandbox");
    }

    @Test
    void refusals() throws Exception {
        Files.writeString(sandbox.resolve("taken"), "");
        String data = hostData.toString();
        assertRefused("volume 1 ('/data'): container_path is absolute, but a container without an image sees the"
                + " host's filesystem, so its volumes can only be placed in its sandbox: use a relative"
                + " container_path (absolute ones need filesystem/linux and an image)",
                hostPath("/data", data, Volume.Mode.RW));
        assertRefused("volume 1 ('data'): mode RO cannot be enforced for a container without an image (its volumes"
                + " are symlinks in the sandbox); use RW, or give the container an image and use filesystem/linux",
                hostPath("data", data, Volume.Mode.RO));
        assertRefused("volume 1 ('taken'): 'taken' already exists in the sandbox", hostPath("taken", data, Volume.Mode.RW));
        assertRefused("volume 2 ('./data'): another volume already uses container_path 'data'",
                hostPath("data", data, Volume.Mode.RW), hostPath("./data", data, Volume.Mode.RW));
        assertRefused("volume 1 ('x/../data'): container_path 'x/../data' contains '..'; give a path without it",
                hostPath("x/../data", data, Volume.Mode.RW));
        assertRefused("volume 1 ('data'): host_path '/no/such' does not exist on the host",
                hostPath("data", "/no/such", Volume.Mode.RW));
        assertEquals(List.of("stderr", "stdout", "taken"), list(sandbox), "a refused prepare creates nothing");
    }

    @Test
    void aContainerWithAnImageNeedsFilesystemLinux() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PosixFilesystem().prepare(context(withImage().build())));
        assertTrue(e.getMessage().contains("configure filesystem/linux"), e.getMessage());
    }

    @Test
    void aHostnameIsRefused() {
        ContainerConfig config = withoutImage().setContainerInfo(ContainerInfo.newBuilder().setHostname("web")).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PosixFilesystem().prepare(context(config)));
        assertTrue(e.getMessage().startsWith("hostname 'web' needs a UTS namespace"), e.getMessage());
    }

    private TestContainerContext context(ContainerConfig config) {
        return new TestContainerContext(c1, config);
    }

    private void assertRefused(String message, Volume... volumes) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PosixFilesystem().prepare(context(withoutImage(volumes).build())));
        assertEquals(message, e.getMessage());
    }

    private static List<String> list(Path dir) throws Exception {
        try (var entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
