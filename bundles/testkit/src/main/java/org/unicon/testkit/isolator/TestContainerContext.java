package org.unicon.testkit.isolator;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.ContextKey;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerID;

/**
 * A {@link ContainerContext} for tests: what the core would hand an isolator's {@code prepare},
 * with the values other isolators published and the state this one checkpointed kept in memory.
 * Like the core's, a key can be put once.
 */
public final class TestContainerContext implements ContainerContext {
    private final ContainerID id;
    private final ContainerConfig config;
    private final Map<ContextKey<?>, Object> values = new LinkedHashMap<>();
    private byte[] checkpoint;

    public TestContainerContext(ContainerID id, ContainerConfig config) {
        this.id = id;
        this.config = config;
    }

    public TestContainerContext(String id, ContainerConfig config) {
        this(ContainerID.newBuilder().setValue(id).build(), config);
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
        return Optional.ofNullable(values.get(key)).map(key.type()::cast);
    }

    @Override
    public <T> void put(ContextKey<T> key, T value) {
        if (values.putIfAbsent(key, key.type().cast(value)) != null) {
            throw new IllegalStateException("context key " + key + " was already put for container '"
                    + id.getValue() + "'");
        }
    }

    @Override
    public void checkpoint(byte[] state) {
        checkpoint = state.clone();
    }

    /** What the isolator checkpointed last, if anything. */
    public Optional<byte[]> checkpointed() {
        return Optional.ofNullable(checkpoint).map(byte[]::clone);
    }
}
