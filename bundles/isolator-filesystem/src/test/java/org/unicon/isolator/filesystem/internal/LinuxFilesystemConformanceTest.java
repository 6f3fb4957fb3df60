package org.unicon.isolator.filesystem.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.unicon.isolator.Isolator;
import org.unicon.model.ContainerConfig;
import org.unicon.model.Volume;
import org.unicon.testkit.isolator.IsolatorConformance;

/** The suite on a container with a hostname and a read-only host_path volume, so that files are written. */
class LinuxFilesystemConformanceTest extends IsolatorConformance {
    private Path resolvConf;
    private Path data;

    @BeforeEach
    void hostFiles() throws IOException {
        resolvConf = Files.writeString(temp.resolve("host-resolv.conf"), "nameserver 192.0.2.1\n");
        data = Files.createDirectories(temp.resolve("host-data"));
    }

    @Override
    protected Isolator createIsolator(Path stateDir) {
        return new LinuxFilesystem(stateDir, resolvConf, () -> "agent-host");
    }

    @Override
    protected Class<?> componentClass() {
        return LinuxFilesystemComponent.class;
    }

    @Override
    protected ContainerConfig typicalConfig(Path sandbox, Path rootfs) {
        ContainerConfig config = super.typicalConfig(sandbox, rootfs);
        return config.toBuilder().setContainerInfo(config.getContainerInfo().toBuilder()
                .setHostname("conformance")
                .addVolumes(Volume.newBuilder().setContainerPath("/data").setHostPath(data.toString())
                        .setMode(Volume.Mode.RO)))
                .build();
    }

    @Override
    protected ContainerConfig withoutImage(ContainerConfig config) {
        ContainerConfig imageless = super.withoutImage(config);
        return imageless.toBuilder().setContainerInfo(imageless.getContainerInfo().toBuilder()
                .clearHostname().clearVolumes()).build();
    }

    @Test
    void isRegisteredAsFilesystemLinux() throws Exception {
        assertEquals(List.of("filesystem/linux"), serviceProperties().get(Isolator.NAME));
        assertNull(serviceProperties().get(Isolator.REQUIRES));
    }

    @Test
    void theComponentKeepsItsFilesUnderTheAgentsRuntimeDir() {
        assertEquals(Path.of("/run/unicon/isolators/filesystem/linux"),
                LinuxFilesystemComponent.stateRoot(Path.of("/run/unicon")));
    }
}
