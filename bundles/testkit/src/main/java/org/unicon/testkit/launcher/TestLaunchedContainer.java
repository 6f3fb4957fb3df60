package org.unicon.testkit.launcher;

import java.nio.file.Path;
import java.util.OptionalLong;

import org.unicon.launcher.LaunchRequest;
import org.unicon.launcher.LaunchedContainer;
import org.unicon.model.ContainerID;

/** A {@link LaunchedContainer} for tests: what the core checkpointed and hands {@code recover}. */
public record TestLaunchedContainer(ContainerID containerId, OptionalLong pid, Path directory)
        implements LaunchedContainer {

    /** The container {@code request} created, whose init is {@code pid}. */
    public static TestLaunchedContainer of(LaunchRequest request, long pid) {
        return new TestLaunchedContainer(request.containerId(), OptionalLong.of(pid), request.directory());
    }
}
