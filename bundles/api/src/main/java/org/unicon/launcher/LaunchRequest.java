package org.unicon.launcher;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;

/** What the core asks a launcher to create. */
@ProviderType
public interface LaunchRequest {

    ContainerID containerId();

    /**
     * The merged launch info: the command (with {@code shell}, {@code value}, {@code arguments}),
     * environment, working directory, rootfs, user, namespaces and mounts. The environment is
     * complete: the launcher passes exactly these variables, nothing of the agent's own.
     */
    ContainerLaunchInfo launchInfo();

    /** The container's sandbox on the host. */
    Path sandbox();

    /** Where the command's standard output goes (a file in the sandbox). */
    Path stdout();

    /** Where the command's standard error goes (a file in the sandbox). */
    Path stderr();

    /**
     * A directory that belongs to the launcher for this container, under the agent's runtime
     * directory. It survives agent restarts (not reboots) and the core deletes it after
     * {@link Launcher#destroy}.
     */
    Path directory();
}
