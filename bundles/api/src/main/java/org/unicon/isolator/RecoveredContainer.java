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

    /**
     * Replaces the isolator's checkpointed state for this container, stamped with the recovering
     * isolator's name and version, as {@link ContainerContext#checkpoint} does: how a new version
     * migrates what an earlier one wrote, so that the version after it never has to read the old
     * format. Only during {@link Isolator#recover}.
     *
     * @since 1.1
     */
    void checkpoint(byte[] state);
}
