package org.unicon.isolator.namespaces.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.IsolatorProperties;
import org.unicon.model.ContainerLaunchInfo;

/**
 * {@code namespaces/ipc}: an IPC namespace per container. It needs no other isolator; with
 * filesystem/linux the container's /dev/mqueue and /dev/shm then show its own objects only.
 */
@Component(service = Isolator.class)
@IsolatorProperties(name = "namespaces/ipc")
public class IpcNamespaceComponent implements Isolator {
    private final NamespaceIsolator isolator = NamespaceIsolator.ipc();

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) {
        return isolator.prepare(container);
    }
}
