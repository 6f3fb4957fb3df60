package org.unicon.itests.paxexam.versioned.v100;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.RecoveredContainer;
import org.unicon.itests.paxexam.versioned.Journal;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.Resource;
import org.unicon.model.ResourceStatistics;
import org.unicon.model.Value;

/**
 * test/versioned 1.0.0. Its state for a container is format A: {@code A <token> <sandbox>}. In
 * prepare it creates the container's resource file (holding the token) and checkpoints A.
 */
public final class VersionedIsolator implements Isolator {
    static final String VERSION = "1.0.0";

    /** Container ID → state in format A. */
    private final Map<String, String> states = new ConcurrentHashMap<>();

    @Override
    public void recover(List<RecoveredContainer> containers, Set<ContainerID> orphans) {
        for (RecoveredContainer container : containers) {
            if (container.state().isEmpty()) {
                continue;
            }
            String state = container.state().get().getState().toString(StandardCharsets.UTF_8);
            String[] parts = state.split(" ", 3);
            if (!parts[0].equals("A")) {
                throw new IllegalStateException("test/versioned 1.0.0 cannot read state written by "
                        + container.state().get().getVersion() + ": " + state);
            }
            states.put(container.containerId().getValue(), state);
            Journal.append(Path.of(parts[2]), VERSION, "recover " + container.containerId().getValue()
                    + " from " + container.state().get().getVersion() + " format A");
        }
    }

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) throws Exception {
        String token = UUID.randomUUID().toString();
        Files.writeString(container.sandbox().resolve(Journal.RESOURCE), token);
        String state = "A " + token + " " + container.sandbox();
        container.checkpoint(state.getBytes(StandardCharsets.UTF_8));
        states.put(container.containerId().getValue(), state);
        Journal.append(container.sandbox(), VERSION, "prepare " + container.containerId().getValue() + " format A");
        return Optional.empty();
    }

    @Override
    public void update(ContainerID id, List<Resource> resources, Map<String, Value.Scalar> limits) {
        String state = states.get(id.getValue());
        if (state != null) {
            Journal.append(sandbox(state), VERSION, "update " + id.getValue() + " with " + resources.size()
                    + " resources");
        }
    }

    @Override
    public ResourceStatistics usage(ContainerID id) {
        String state = states.get(id.getValue());
        if (state != null) {
            Journal.append(sandbox(state), VERSION, "usage " + id.getValue());
        }
        return ResourceStatistics.getDefaultInstance();
    }

    @Override
    public void cleanup(ContainerID id) throws Exception {
        String state = states.remove(id.getValue());
        if (state != null) {
            Files.deleteIfExists(sandbox(state).resolve(Journal.RESOURCE));
            Journal.append(sandbox(state), VERSION, "cleanup " + id.getValue() + " format A");
        }
    }

    private static Path sandbox(String state) {
        return Path.of(state.split(" ", 3)[2]);
    }
}
