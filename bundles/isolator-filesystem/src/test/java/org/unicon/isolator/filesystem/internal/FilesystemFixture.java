package org.unicon.isolator.filesystem.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerInfo;
import org.unicon.model.ContainerMountInfo;
import org.unicon.model.ImageRuntimeConfig;
import org.unicon.model.MountPropagation;
import org.unicon.model.Volume;

/** A busybox-like rootfs, a fresh sandbox, the host's resolv.conf and a state directory, in a temp dir. */
abstract class FilesystemFixture {
    static final String RESOLV_CONF = "nameserver 192.0.2.53\nsearch example.org\n";

    @TempDir
    Path temp;
    Path rootfs;
    Path sandbox;
    Path state;
    Path hostResolvConf;
    Path hostData;

    @BeforeEach
    void layout() throws IOException {
        rootfs = Files.createDirectories(temp.resolve("provisioner/containers/c1/rootfs"));
        for (String dir : new String[] {"bin", "etc", "run", "tmp", "var"}) {
            Files.createDirectories(rootfs.resolve(dir));
        }
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.createSymbolicLink(rootfs.resolve("var/run"), Path.of("../run"));
        sandbox = Files.createDirectories(temp.resolve("containers/c1"));
        Files.writeString(sandbox.resolve("stdout"), "");
        Files.writeString(sandbox.resolve("stderr"), "");
        state = temp.resolve("run/isolators/filesystem/linux");
        hostResolvConf = Files.writeString(temp.resolve("host-resolv.conf"), RESOLV_CONF);
        hostData = Files.createDirectories(temp.resolve("host/data"));
    }

    LinuxFilesystem linux() {
        return new LinuxFilesystem(state, hostResolvConf, () -> "agent-host\n");
    }

    ContainerConfig.Builder withImage(Volume... volumes) {
        ContainerInfo.Builder info = ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS);
        for (Volume volume : volumes) {
            info.addVolumes(volume);
        }
        return ContainerConfig.newBuilder()
                .setDirectory(sandbox.toString())
                .setRootfs(rootfs.toString())
                .setSandboxDirectory("/mnt/mesos/sandbox")
                .setImageConfig(ImageRuntimeConfig.newBuilder().addCmd("sh"))
                .setCommandInfo(CommandInfo.newBuilder().setValue("echo hello"))
                .setContainerInfo(info);
    }

    ContainerConfig.Builder withoutImage(Volume... volumes) {
        return withImage(volumes).clearRootfs().clearSandboxDirectory().clearImageConfig();
    }

    static Volume hostPath(String containerPath, String hostPath, Volume.Mode mode) {
        return Volume.newBuilder().setContainerPath(containerPath).setMode(mode)
                .setSource(Volume.Source.newBuilder().setType(Volume.Source.Type.HOST_PATH)
                        .setHostPath(Volume.Source.HostPath.newBuilder().setPath(hostPath)))
                .build();
    }

    static Volume legacyHostPath(String containerPath, String hostPath, Volume.Mode mode) {
        return Volume.newBuilder().setContainerPath(containerPath).setHostPath(hostPath).setMode(mode).build();
    }

    static Volume sandboxPath(String containerPath, String path, Volume.Source.SandboxPath.Type type) {
        return Volume.newBuilder().setContainerPath(containerPath).setMode(Volume.Mode.RW)
                .setSource(Volume.Source.newBuilder().setType(Volume.Source.Type.SANDBOX_PATH)
                        .setSandboxPath(Volume.Source.SandboxPath.newBuilder().setType(type).setPath(path)))
                .build();
    }

    static Volume bidirectional(Volume volume) {
        Volume.Builder builder = volume.toBuilder();
        builder.getSourceBuilder().getHostPathBuilder()
                .setMountPropagation(MountPropagation.newBuilder().setMode(MountPropagation.Mode.BIDIRECTIONAL));
        return builder.build();
    }

    static ContainerMountInfo mount(String source, String target, String type, int flags, String options) {
        ContainerMountInfo.Builder mount = ContainerMountInfo.newBuilder().setSource(source).setTarget(target)
                .setFlags(flags);
        if (type != null) {
            mount.setType(type);
        }
        if (options != null) {
            mount.setOptions(options);
        }
        return mount.build();
    }
}
