package org.unicon.isolator.docker.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicon.isolator.Isolator;
import org.unicon.testkit.isolator.IsolatorConformance;

class DockerRuntimeConformanceTest extends IsolatorConformance {
    @Override
    protected Isolator createIsolator(Path stateDir) {
        return new DockerRuntimeComponent();
    }

    @Override
    protected Class<?> componentClass() {
        return DockerRuntimeComponent.class;
    }

    @Test
    void isRegisteredAsDockerRuntimeRequiringFilesystemLinux() throws Exception {
        assertEquals(List.of("docker/runtime"), serviceProperties().get(Isolator.NAME));
        assertEquals(List.of("filesystem/linux"), serviceProperties().get(Isolator.REQUIRES));
    }
}
