package org.unicon.isolator.namespaces.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.IsolatorProperties;
import org.unicon.model.ContainerLaunchInfo;

/**
 * {@code namespaces/pid}: a PID namespace per container. It requires {@code filesystem/linux}
 * as in Mesos, because a PID namespace is only coherent with a /proc mounted inside it, which
 * filesystem/linux mounts for containers with an image.
 */
@Component(service = Isolator.class)
@IsolatorProperties(name = "namespaces/pid", requires = "filesystem/linux")
public class PidNamespaceComponent implements Isolator {
    private final NamespaceIsolator isolator = NamespaceIsolator.pid();

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) {
        return isolator.prepare(container);
    }
}
