package org.unicon.isolator.appc.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicon.isolator.Isolator;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerInfo;
import org.unicon.model.Image;
import org.unicon.testkit.isolator.IsolatorConformance;

/** The isolator conformance suite, with a busybox container of an appc image (which it contributes to). */
class AppcRuntimeConformanceTest extends IsolatorConformance {
    @Override
    protected Isolator createIsolator(Path stateDir) {
        return new AppcRuntimeComponent();
    }

    @Override
    protected Class<?> componentClass() {
        return AppcRuntimeComponent.class;
    }

    @Override
    protected ContainerConfig typicalConfig(Path sandbox, Path rootfs) {
        ContainerConfig busybox = super.typicalConfig(sandbox, rootfs);
        return busybox.toBuilder().setContainerInfo(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)
                .setMesos(ContainerInfo.MesosInfo.newBuilder().setImage(Image.newBuilder().setType(Image.Type.APPC)
                        .setAppc(Image.Appc.newBuilder().setName("example.com/busybox")))))
                .setImageConfig(busybox.getImageConfig().toBuilder().clearCmd().addCmd("/bin/sh").setUser("0:0"))
                .build();
    }

    @Test
    void isRegisteredAsAppcRuntimeRequiringFilesystemLinux() throws Exception {
        assertEquals(List.of("appc/runtime"), serviceProperties().get(Isolator.NAME));
        assertEquals(List.of("filesystem/linux"), serviceProperties().get(Isolator.REQUIRES));
    }
}
