package org.unicon.isolator.docker.runtime.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.IsolatorProperties;
import org.unicon.model.ContainerLaunchInfo;

/**
 * Registers {@link DockerRuntime} as {@code docker/runtime}. It requires {@code filesystem/linux}:
 * the image's command only makes sense inside the image's root filesystem.
 */
@Component(service = Isolator.class)
@IsolatorProperties(name = "docker/runtime", requires = "filesystem/linux")
public class DockerRuntimeComponent implements Isolator {
    private final DockerRuntime isolator = new DockerRuntime();

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) {
        return isolator.prepare(container);
    }
}
