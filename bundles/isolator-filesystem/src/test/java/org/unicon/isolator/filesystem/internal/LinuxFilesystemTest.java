package org.unicon.isolator.filesystem.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerInfo;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.ContainerMountInfo;
import org.unicon.model.Volume;
import org.unicon.testkit.isolator.TestContainerContext;

class LinuxFilesystemTest extends FilesystemFixture {
    // MS_* bits as the launch contract spells them.
    private static final int RDONLY = 1, NOSUID = 2, NODEV = 4, NOEXEC = 8, BIND = 4096, REC = 16384,
            SLAVE = 1 << 19, STRICTATIME = 1 << 24;
    private static final int CLONE_NEWNS = 0x20000, CLONE_NEWUTS = 0x4000000;

    private final ContainerID c1 = ContainerID.newBuilder().setValue("c1").build();

    @Test
    void aBusyboxContainerGetsTheseMountsInThisOrder() throws Exception {
        ContainerLaunchInfo info = prepare(withImage().build());

        Path etc = state.resolve("c1");
        assertEquals(List.of(
                mount("proc", "/proc", "proc", NOSUID | NOEXEC | NODEV, null),
                mount("sysfs", "/sys", "sysfs", RDONLY | NOSUID | NOEXEC | NODEV, null),
                mount("tmpfs", "/dev", "tmpfs", NOSUID | STRICTATIME, "mode=755,size=65536k"),
                mount("devpts", "/dev/pts", "devpts", NOSUID | NOEXEC, "newinstance,ptmxmode=0666,mode=0620"),
                mount("tmpfs", "/dev/shm", "tmpfs", NOSUID | NOEXEC | NODEV, "mode=1777,size=65536k"),
                mount("mqueue", "/dev/mqueue", "mqueue", NOSUID | NOEXEC | NODEV, null),
                mount(sandbox.toString(), "/mnt/mesos/sandbox", null, BIND | REC | SLAVE, null),
                mount(etc.resolve("hosts").toString(), "/etc/hosts", null, BIND | RDONLY, null),
                mount(etc.resolve("resolv.conf").toString(), "/etc/resolv.conf", null, BIND | RDONLY, null),
                mount(etc.resolve("hostname").toString(), "/etc/hostname", null, BIND | RDONLY, null)),
                info.getMountsList());
        assertEquals(List.of(CLONE_NEWNS), info.getCloneNamespacesList());
        assertEquals(List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/key-users",
                "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats",
                "/sys/firmware"), info.getMaskedPathsList());
        assertFalse(info.hasCommand() || info.hasEnvironment() || info.hasWorkingDirectory() || info.hasRootfs()
                || info.hasUser(), "filesystem/linux contributes mounts and namespaces only: " + info);
    }

    @Test
    void writesHostsResolvConfAndHostnameForTheHostsNameWithoutAHostname() throws Exception {
        prepare(withImage().build());

        Path etc = state.resolve("c1");
        assertEquals("agent-host\n", Files.readString(etc.resolve("hostname")));
        assertEquals("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\tagent-host\n",
                Files.readString(etc.resolve("hosts")));
        assertEquals(RESOLV_CONF, Files.readString(etc.resolve("resolv.conf")));
        for (String name : List.of("hosts", "resolv.conf", "hostname")) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(etc.resolve(name))),
                    name + " must be readable by every user of the container");
        }
        try (var files = Files.list(etc)) {
            assertEquals(3, files.count(), "only the three files, no staging leftovers");
        }
    }

    @Test
    void aHostnameGetsItsOwnUtsNamespaceAndIsInTheFiles() throws Exception {
        ContainerConfig config = withImage().setContainerInfo(ContainerInfo.newBuilder()
                .setType(ContainerInfo.Type.MESOS).setHostname("web-1.example.org")).build();

        ContainerLaunchInfo info = prepare(config);

        assertEquals(List.of(CLONE_NEWNS, CLONE_NEWUTS), info.getCloneNamespacesList());
        assertEquals("web-1.example.org", info.getHostname(), "the launcher sets it in the UTS namespace");
        assertEquals("web-1.example.org\n", Files.readString(state.resolve("c1/hostname")));
        assertTrue(Files.readString(state.resolve("c1/hosts")).endsWith("127.0.1.1\tweb-1.example.org\n"));
    }

    @Test
    void anInvalidHostnameIsRefused() {
        for (String hostname : List.of("bad host", "-x", "a\nb", "x".repeat(65), "")) {
            ContainerConfig config = withImage().setContainerInfo(ContainerInfo.newBuilder()
                    .setType(ContainerInfo.Type.MESOS).setHostname(hostname)).build();

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> prepare(config));
            assertTrue(e.getMessage().startsWith("hostname '" + hostname + "' is not a valid host name"),
                    e.getMessage());
            assertFalse(Files.exists(state.resolve("c1")), "nothing is written for a refused container");
        }
    }

    @Test
    void withoutAHostResolvConfTheContainerGetsAnEmptyOne() throws Exception {
        Files.delete(hostResolvConf);

        prepare(withImage().build());

        assertTrue(Files.readString(state.resolve("c1/resolv.conf")).startsWith("#"));
    }

    @Test
    void cleanupRemovesTheFilesAndTheirDirectory() throws Exception {
        LinuxFilesystem isolator = linux();
        isolator.prepare(new TestContainerContext(c1, withImage().build()));
        assertTrue(Files.exists(state.resolve("c1/hosts")));

        isolator.cleanup(c1);

        assertFalse(Files.exists(state.resolve("c1")));
        assertTrue(Files.isDirectory(state), "the isolator's root stays for other containers");
    }

    @Test
    void cleanupAfterARestartNeedsNoState() throws Exception {
        linux().prepare(new TestContainerContext(c1, withImage().build()));

        linux().cleanup(c1);

        assertFalse(Files.exists(state.resolve("c1")));
    }

    @Test
    void theSandboxDirectoryIsConfigurable() throws Exception {
        ContainerLaunchInfo info = prepare(withImage().setSandboxDirectory("/sandbox/").build());

        assertTrue(info.getMountsList().contains(mount(sandbox.toString(), "/sandbox", null, BIND | REC | SLAVE, null)));
    }

    @Test
    void aRelativeOrRootSandboxDirectoryIsRefused() {
        IllegalArgumentException relative = assertThrows(IllegalArgumentException.class,
                () -> prepare(withImage().setSandboxDirectory("sandbox").build()));
        assertTrue(relative.getMessage().startsWith("sandbox_directory 'sandbox' must be an absolute path"));
        assertThrows(IllegalArgumentException.class, () -> prepare(withImage().setSandboxDirectory("/").build()));
    }

    @Test
    void aContainerWithoutAnImageGetsNoMountsOrNamespaces() throws Exception {
        Optional<ContainerLaunchInfo> info = linux().prepare(new TestContainerContext(c1, withoutImage().build()));

        assertEquals(Optional.empty(), info);
        assertFalse(Files.exists(state.resolve("c1")));
    }

    @Test
    void aContainerWithoutAnImageGetsItsVolumesAsSandboxSymlinks() throws Exception {
        LinuxFilesystem isolator = linux();
        ContainerConfig config = withoutImage(hostPath("data", hostData.toString(), Volume.Mode.RW)).build();

        assertEquals(Optional.empty(), isolator.prepare(new TestContainerContext(c1, config)));
        assertEquals(hostData, Files.readSymbolicLink(sandbox.resolve("data")));

        isolator.cleanup(c1);
        assertFalse(Files.exists(sandbox.resolve("data"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aContainerWithoutAnImageCannotHaveAHostname() {
        ContainerConfig config = withoutImage().setContainerInfo(ContainerInfo.newBuilder()
                .setType(ContainerInfo.Type.MESOS).setHostname("web")).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> linux().prepare(new TestContainerContext(c1, config)));
        assertTrue(e.getMessage().startsWith("hostname 'web' needs a UTS namespace"), e.getMessage());
    }

    private ContainerLaunchInfo prepare(ContainerConfig config) throws Exception {
        return linux().prepare(new TestContainerContext(c1, config)).orElseThrow();
    }

    static List<ContainerMountInfo> volumeMounts(ContainerLaunchInfo info) {
        return info.getMountsList().subList(10, info.getMountsCount());
    }
}
