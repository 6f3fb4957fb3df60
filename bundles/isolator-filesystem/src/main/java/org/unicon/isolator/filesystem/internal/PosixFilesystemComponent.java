package org.unicon.isolator.filesystem.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.IsolatorProperties;
import org.unicon.isolator.RecoveredContainer;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;

/** Registers {@link PosixFilesystem} as {@code filesystem/posix}. */
@Component(service = Isolator.class)
@IsolatorProperties(name = "filesystem/posix")
public class PosixFilesystemComponent implements Isolator {
    private final PosixFilesystem isolator = new PosixFilesystem();

    @Override
    public void recover(List<RecoveredContainer> containers, Set<ContainerID> orphans) {
        isolator.recover(containers, orphans);
    }

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) throws Exception {
        return isolator.prepare(container);
    }

    @Override
    public void cleanup(ContainerID id) throws Exception {
        isolator.cleanup(id);
    }
}
