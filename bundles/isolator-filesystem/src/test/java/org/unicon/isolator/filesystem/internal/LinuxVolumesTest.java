package org.unicon.isolator.filesystem.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.Image;
import org.unicon.model.Volume;
import org.unicon.model.Volume.Source.SandboxPath.Type;
import org.unicon.testkit.isolator.TestContainerContext;

/** Volumes of containers with an image: the bind mounts they become, and what is refused. */
class LinuxVolumesTest extends FilesystemFixture {
    private static final int RDONLY = 1, BIND = 4096, REC = 16384, SLAVE = 1 << 19;

    @Test
    void hostPathVolumesAreSlaveRecursiveBindsReadOnlyOrNot() throws Exception {
        Path file = Files.writeString(temp.resolve("host/config.json"), "{}");
        ContainerLaunchInfo info = prepare(
                hostPath("/data", hostData.toString(), Volume.Mode.RW),
                legacyHostPath("/etc/app/config.json", file.toString(), Volume.Mode.RO));

        assertEquals(List.of(
                mount(hostData.toString(), "/data", null, BIND | REC | SLAVE, null),
                mount(file.toString(), "/etc/app/config.json", null, BIND | REC | SLAVE | RDONLY, null)),
                LinuxFilesystemTest.volumeMounts(info));
    }

    @Test
    void volumesComeLastInTheOrderGiven() throws Exception {
        ContainerLaunchInfo info = prepare(
                hostPath("/b", hostData.toString(), Volume.Mode.RW),
                hostPath("/a", hostData.toString(), Volume.Mode.RW),
                hostPath("/b/c", hostData.toString(), Volume.Mode.RO));

        assertEquals(List.of("/b", "/a", "/b/c"),
                LinuxFilesystemTest.volumeMounts(info).stream().map(m -> m.getTarget()).toList());
        assertEquals("/etc/hostname", info.getMounts(info.getMountsCount() - 4).getTarget());
    }

    @Test
    void aRelativeContainerPathIsInTheSandboxAsInMesos() throws Exception {
        ContainerLaunchInfo info = prepare(hostPath("./cache//dir", hostData.toString(), Volume.Mode.RW));

        assertEquals("/mnt/mesos/sandbox/cache/dir", LinuxFilesystemTest.volumeMounts(info).get(0).getTarget());
    }

    @Test
    void aTargetIsResolvedThroughTheImagesSymlinks() throws Exception {
        ContainerLaunchInfo info = prepare(hostPath("/var/run/app", hostData.toString(), Volume.Mode.RW));

        assertEquals("/run/app", LinuxFilesystemTest.volumeMounts(info).get(0).getTarget());
    }

    @Test
    void aSelfSandboxPathIsCreatedInTheSandboxAndBound() throws Exception {
        ContainerLaunchInfo info = prepare(sandboxPath("/shared", "work/shared", Type.SELF));

        assertTrue(Files.isDirectory(sandbox.resolve("work/shared")));
        assertEquals(List.of(mount(sandbox.resolve("work/shared").toString(), "/shared", null, BIND | REC | SLAVE, null)),
                LinuxFilesystemTest.volumeMounts(info));
    }

    @Test
    void refusals() throws Exception {
        Files.createSymbolicLink(rootfs.resolve("escape"), Path.of("../../../../../.."));
        Files.createSymbolicLink(sandbox.resolve("out"), temp.resolve("host"));
        String data = hostData.toString();
        assertRefused("volume 1 ('/data/../etc'): container_path '/data/../etc' contains '..'; give a path without it",
                hostPath("/data/../etc", data, Volume.Mode.RW));
        assertRefused("volume 1 ('../x'): container_path '../x' contains '..'; give a path without it",
                hostPath("../x", data, Volume.Mode.RW));
        assertRefused("volume 1 has no container_path", hostPath("", data, Volume.Mode.RW));
        assertRefused("volume 1 ('/data'): host_path '/no/such/dir' does not exist on the host",
                hostPath("/data", "/no/such/dir", Volume.Mode.RW));
        assertRefused("volume 1 ('/data'): host_path 'relative/dir' must be absolute",
                legacyHostPath("/data", "relative/dir", Volume.Mode.RW));
        assertRefused("volume 1 ('/data'): host_path '" + data + "/../..' contains '..'; give a path without it",
                hostPath("/data", data + "/../..", Volume.Mode.RW));
        assertRefused("volume 1 ('/escape/etc'): container_path '/escape/etc' escapes the container's root"
                + " filesystem through a symlink in the image", hostPath("/escape/etc", data, Volume.Mode.RW));
        assertRefused("volume 1 ('/etc/passwd/x'): container_path '/etc/passwd/x' goes through '/etc/passwd',"
                + " which is not a directory in the image", hostPath("/etc/passwd/x", data, Volume.Mode.RW));
        assertRefused("volume 1 ('/'): a volume cannot cover the container's root", hostPath("/", data, Volume.Mode.RW));
        assertRefused("volume 1 ('/mnt/mesos/sandbox'): a volume cannot cover the sandbox directory /mnt/mesos/sandbox",
                hostPath("/mnt/mesos/sandbox", data, Volume.Mode.RW));
        assertRefused("volume 2 ('/run/x'): another volume is already mounted at /run/x",
                hostPath("/var/run/x", data, Volume.Mode.RW), hostPath("/run/x", data, Volume.Mode.RO));
        assertRefused("volume 1 ('/data') has no mode; set mode to RW or RO",
                hostPath("/data", data, Volume.Mode.RW).toBuilder().clearMode().build());
        assertRefused("volume 1 ('/data') sets both host_path and source; use source alone",
                hostPath("/data", data, Volume.Mode.RW).toBuilder().setHostPath(data).build());
        assertRefused("volume 1 ('/data') has no source; set source.host_path or source.sandbox_path",
                Volume.newBuilder().setContainerPath("/data").setMode(Volume.Mode.RW).build());
        assertRefused("volume 1 ('/data'): BIDIRECTIONAL mount propagation is not supported: mounts made in the"
                + " container would reach the host; use HOST_TO_CONTAINER",
                bidirectional(hostPath("/data", data, Volume.Mode.RW)));
        assertRefused("volume 1 ('/data'): sandbox_path of type PARENT is not supported: standalone containers have"
                + " no parent sandbox; use SELF", sandboxPath("/data", "shared", Type.PARENT));
        assertRefused("volume 1 ('/data'): sandbox_path.path '/abs' must be a path relative to the sandbox",
                sandboxPath("/data", "/abs", Type.SELF));
        assertRefused("volume 1 ('/data'): sandbox_path 'out/x' leads out of the sandbox through a symlink",
                sandboxPath("/data", "out/x", Type.SELF));
        assertRefused("volume 1 ('/data'): volume source type DOCKER_VOLUME is not supported; use HOST_PATH or"
                + " SANDBOX_PATH", Volume.newBuilder().setContainerPath("/data").setMode(Volume.Mode.RW)
                        .setSource(Volume.Source.newBuilder().setType(Volume.Source.Type.DOCKER_VOLUME)).build());
    }

    @Test
    void anImageVolumeIsTheRootfsTheContainerizerProvisionedForIt() throws Exception {
        Volume volume = Volume.newBuilder().setContainerPath("/tools").setMode(Volume.Mode.RO)
                .setImage(Image.newBuilder().setType(Image.Type.DOCKER)
                        .setDocker(Image.Docker.newBuilder().setName("busybox")))
                .build();
        Path provisioned = java.nio.file.Files.createDirectories(hostData.resolve("volume-rootfs"));
        var config = withImage(volume).addImageVolumes(org.unicon.model.ProvisionedVolume.newBuilder()
                .setVolume(0).setRootfs(provisioned.toString())).build();

        ContainerLaunchInfo info = linux().prepare(new TestContainerContext("c1", config)).orElseThrow();

        var mount = info.getMountsList().stream().filter(m -> m.getTarget().equals("/tools")).findFirst().orElseThrow();
        assertEquals(provisioned.toString(), mount.getSource());
        assertEquals(BIND | REC | SLAVE | RDONLY, mount.getFlags());
    }

    @Test
    void anImageVolumeNobodyProvisionedIsRefused() {
        Volume volume = Volume.newBuilder().setContainerPath("/tools").setMode(Volume.Mode.RO)
                .setImage(Image.newBuilder().setType(Image.Type.DOCKER)
                        .setDocker(Image.Docker.newBuilder().setName("busybox")))
                .build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> prepare(volume));
        assertEquals("volume 1 ('/tools'): an image volume needs a container with an image of its own (its root"
                + " filesystem is where it is mounted)", e.getMessage());
    }

    @Test
    void nothingIsCreatedWhenALaterVolumeIsInvalid() {
        assertThrows(IllegalArgumentException.class, () -> prepare(
                sandboxPath("/shared", "shared", Type.SELF),
                hostPath("/data", "/no/such/dir", Volume.Mode.RW)));

        assertFalse(Files.exists(sandbox.resolve("shared")), "the valid volume's source was created anyway");
        assertFalse(Files.exists(state.resolve("c1")), "the /etc files were written anyway");
    }

    private ContainerLaunchInfo prepare(Volume... volumes) throws Exception {
        return linux().prepare(new TestContainerContext("c1", withImage(volumes).build())).orElseThrow();
    }

    private void assertRefused(String message, Volume... volumes) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> prepare(volumes));
        assertEquals(message, e.getMessage());
    }
}
