package org.unicon.isolator.appc.runtime.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.IsolatorProperties;
import org.unicon.model.ContainerLaunchInfo;

/**
 * Registers {@link AppcRuntime} as {@code appc/runtime}. It requires {@code filesystem/linux}:
 * the image's command only makes sense inside the image's root filesystem.
 */
@Component(service = Isolator.class)
@IsolatorProperties(name = "appc/runtime", requires = "filesystem/linux")
public class AppcRuntimeComponent implements Isolator {
    private final AppcRuntime isolator = new AppcRuntime();

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) {
        return isolator.prepare(container);
    }
}
