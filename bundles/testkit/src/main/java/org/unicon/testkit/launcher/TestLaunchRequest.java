package org.unicon.testkit.launcher;

import java.nio.file.Path;

import org.unicon.launcher.LaunchRequest;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;

/** A {@link LaunchRequest} for tests: what the core hands {@code create}, laid out as the core lays it out. */
public record TestLaunchRequest(ContainerID containerId, ContainerLaunchInfo launchInfo, Path sandbox, Path stdout,
        Path stderr, Path directory) implements LaunchRequest {
}
