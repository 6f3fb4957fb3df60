package org.unicon.testkit.isolator;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

import org.unicon.isolator.RecoveredContainer;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerID;
import org.unicon.model.IsolatorCheckpoint;

/**
 * A {@link RecoveredContainer} for tests: what the core hands {@code recover} after a restart.
 * What the isolator checkpoints during {@code recover} (a migration) is kept in {@link #checkpoints()}.
 */
public record TestRecoveredContainer(ContainerID containerId, ContainerConfig config, OptionalLong pid,
        Optional<IsolatorCheckpoint> state, List<byte[]> checkpoints) implements RecoveredContainer {

    public TestRecoveredContainer(ContainerID containerId, ContainerConfig config, OptionalLong pid,
            Optional<IsolatorCheckpoint> state) {
        this(containerId, config, pid, state, new CopyOnWriteArrayList<>());
    }

    @Override
    public void checkpoint(byte[] state) {
        checkpoints.add(state.clone());
    }

    /** A container the isolator never checkpointed anything for. */
    public static TestRecoveredContainer withoutState(ContainerID id, ContainerConfig config) {
        return new TestRecoveredContainer(id, config, OptionalLong.empty(), Optional.empty());
    }

    /** A container with what {@code context} recorded as the isolator's checkpoint, if anything. */
    public static TestRecoveredContainer of(TestContainerContext context, String isolator, String version) {
        Optional<IsolatorCheckpoint> state = context.checkpointed().map(bytes -> IsolatorCheckpoint.newBuilder()
                .setIsolator(isolator)
                .setVersion(version)
                .setState(com.google.protobuf.ByteString.copyFrom(bytes))
                .build());
        return new TestRecoveredContainer(context.containerId(), context.config(), OptionalLong.empty(), state);
    }
}
