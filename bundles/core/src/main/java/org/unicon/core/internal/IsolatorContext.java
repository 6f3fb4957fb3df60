package org.unicon.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.ContextKey;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerID;
import org.unicon.model.IsolatorCheckpoint;

/** One container as one isolator sees it during prepare. */
final class IsolatorContext implements ContainerContext {
    private final ContainerID id;
    private final ContainerConfig config;
    private final Paths paths;
    private final CheckpointStore checkpoints;
    private final Plugin<?> isolator;
    private final Map<ContextKey<?>, Object> shared;

    IsolatorContext(ContainerID id, ContainerConfig config, Paths paths, CheckpointStore checkpoints,
            Plugin<?> isolator, Map<ContextKey<?>, Object> shared) {
        this.id = id;
        this.config = config;
        this.paths = paths;
        this.checkpoints = checkpoints;
        this.isolator = isolator;
        this.shared = shared;
    }

    @Override
    public ContainerID containerId() {
        return id;
    }

    @Override
    public ContainerConfig config() {
        return config;
    }

    @Override
    public Path sandbox() {
        return Path.of(config.getDirectory());
    }

    @Override
    public Optional<Path> rootfs() {
        return config.hasRootfs() ? Optional.of(Path.of(config.getRootfs())) : Optional.empty();
    }

    @Override
    public <T> Optional<T> get(ContextKey<T> key) {
        if (!isolator.consumes().contains(key.name())) {
            throw new IllegalStateException("isolator '" + isolator.name() + "' gets context key '" + key.name()
                    + "', which it does not declare in " + org.unicon.isolator.Isolator.CONSUMES);
        }
        return Optional.ofNullable(shared.get(key)).map(key.type()::cast);
    }

    @Override
    public <T> void put(ContextKey<T> key, T value) {
        if (!isolator.produces().contains(key.name())) {
            throw new IllegalStateException("isolator '" + isolator.name() + "' puts context key '" + key.name()
                    + "', which it does not declare in " + org.unicon.isolator.Isolator.PRODUCES);
        }
        if (shared.putIfAbsent(key, key.type().cast(value)) != null) {
            throw new IllegalStateException("context key " + key + " was already put for container '"
                    + id.getValue() + "'; isolator '" + isolator.name() + "' may not replace it");
        }
    }

    @Override
    public void checkpoint(byte[] state) {
        checkpoint(checkpoints, paths, id, isolator, state);
    }

    /** Writes an isolator's state for a container, stamped with its name and version. */
    static void checkpoint(CheckpointStore checkpoints, Paths paths, ContainerID id, Plugin<?> isolator, byte[] state) {
        IsolatorCheckpoint checkpoint = IsolatorCheckpoint.newBuilder()
                .setIsolator(isolator.name())
                .setVersion(isolator.version())
                .setState(com.google.protobuf.ByteString.copyFrom(state))
                .build();
        try {
            checkpoints.write(paths.isolatorCheckpoint(id.getValue(), isolator.name()), checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("could not checkpoint the state of isolator '" + isolator.name()
                    + "' for container '" + id.getValue() + "': " + e.getMessage(), e);
        }
    }
}
