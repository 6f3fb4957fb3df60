package org.unicon.isolator.filesystem.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicon.isolator.Isolator;
import org.unicon.model.ContainerConfig;
import org.unicon.model.Volume;
import org.unicon.testkit.isolator.IsolatorConformance;

/** The suite on a container without an image (filesystem/posix refuses images) with a volume link. */
class PosixFilesystemConformanceTest extends IsolatorConformance {
    @Override
    protected Isolator createIsolator(Path stateDir) {
        return new PosixFilesystem();
    }

    @Override
    protected Class<?> componentClass() {
        return PosixFilesystemComponent.class;
    }

    @Override
    protected ContainerConfig typicalConfig(Path sandbox, Path rootfs) {
        ContainerConfig config = withoutImage(super.typicalConfig(sandbox, rootfs));
        return config.toBuilder().setContainerInfo(config.getContainerInfo().toBuilder()
                .addVolumes(Volume.newBuilder().setContainerPath("vol/etc").setHostPath(rootfs.resolve("etc").toString())
                        .setMode(Volume.Mode.RW)))
                .build();
    }

    @Test
    void isRegisteredAsFilesystemPosix() throws Exception {
        assertEquals(List.of("filesystem/posix"), serviceProperties().get(Isolator.NAME));
        assertNull(serviceProperties().get(Isolator.REQUIRES));
    }
}
