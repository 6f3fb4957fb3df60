package org.unicon.launcher;

import java.nio.file.Path;
import java.util.OptionalLong;

import org.osgi.annotation.versioning.ProviderType;
import org.unicon.model.ContainerID;

/** A container the core checkpointed as created by a launcher, handed back after a restart. */
@ProviderType
public interface LaunchedContainer {

    ContainerID containerId();

    /** The pid {@link Launcher#create} returned, if the core checkpointed it. */
    OptionalLong pid();

    /** The launcher's directory for the container, as in {@link LaunchRequest#directory()}. */
    Path directory();
}
