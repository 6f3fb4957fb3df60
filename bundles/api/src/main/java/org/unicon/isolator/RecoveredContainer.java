package org.unicon.isolator;

import java.util.Optional;
import java.util.OptionalLong;

import org.osgi.annotation.versioning.ProviderType;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerID;
import org.unicon.model.IsolatorCheckpoint;

/** A container the core recovered from its checkpoints, as {@link Isolator#recover} sees it. */
@ProviderType
public interface RecoveredContainer {

    ContainerID containerId();

    ContainerConfig config();

    /** The container's init, when it had been created before the restart. */
    OptionalLong pid();

    /**
     * What the isolator checkpointed for this container, with the version that wrote it; empty
     * when this isolator never checkpointed anything for it.
     */
    Optional<IsolatorCheckpoint> state();
}
