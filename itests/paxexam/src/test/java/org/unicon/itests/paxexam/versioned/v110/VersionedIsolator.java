package org.unicon.itests.paxexam.versioned.v110;

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
import org.unicon.model.IsolatorCheckpoint;
import org.unicon.model.Resource;
import org.unicon.model.ResourceStatistics;
import org.unicon.model.Value;

/**
 * test/versioned 1.1.0. Its state is format B: {@code B;token=<token>;sandbox=<sandbox>}. It
 * reads a recovered state by the version that wrote it: 1.0.0 wrote format A ({@code A <token>
 * <sandbox>}), which it migrates to B; 1.1.x wrote B.
 */
public final class VersionedIsolator implements Isolator {
    static final String VERSION = "1.1.0";

    /** The state of one container, in format B. */
    public record State(String token, Path sandbox) {
        String formatB() {
            return "B;token=" + token + ";sandbox=" + sandbox;
        }

        static State fromA(String text) {
            String[] parts = text.split(" ", 3);
            if (parts.length != 3 || !parts[0].equals("A")) {
                throw new IllegalArgumentException("not format A: " + text);
            }
            return new State(parts[1], Path.of(parts[2]));
        }

        static State fromB(String text) {
            String[] parts = text.split(";", 3);
            if (parts.length != 3 || !parts[0].equals("B") || !parts[1].startsWith("token=")
                    || !parts[2].startsWith("sandbox=")) {
                throw new IllegalArgumentException("not format B: " + text);
            }
            return new State(parts[1].substring("token=".length()), Path.of(parts[2].substring("sandbox=".length())));
        }
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();

    @Override
    public void recover(List<RecoveredContainer> containers, Set<ContainerID> orphans) {
        for (RecoveredContainer container : containers) {
            if (container.state().isEmpty()) {
                continue;
            }
            IsolatorCheckpoint checkpoint = container.state().get();
            String text = checkpoint.getState().toString(StandardCharsets.UTF_8);
            String id = container.containerId().getValue();
            State state;
            String how;
            if (checkpoint.getVersion().equals("1.0.0")) {
                state = State.fromA(text);
                container.checkpoint(state.formatB().getBytes(StandardCharsets.UTF_8));
                how = "format A, migrated to B";
            } else if (checkpoint.getVersion().startsWith("1.1.")) {
                state = State.fromB(text);
                how = "format B";
            } else {
                throw new IllegalStateException("test/versioned 1.1.0 cannot read the state of container '" + id
                        + "' written by version '" + checkpoint.getVersion() + "'");
            }
            states.put(id, state);
            Journal.append(state.sandbox(), VERSION, "recover " + id + " from " + checkpoint.getVersion() + " "
                    + how);
        }
    }

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) throws Exception {
        State state = new State(UUID.randomUUID().toString(), container.sandbox());
        Files.writeString(container.sandbox().resolve(Journal.RESOURCE), state.token());
        container.checkpoint(state.formatB().getBytes(StandardCharsets.UTF_8));
        states.put(container.containerId().getValue(), state);
        Journal.append(container.sandbox(), VERSION, "prepare " + container.containerId().getValue() + " format B");
        return Optional.empty();
    }

    @Override
    public void update(ContainerID id, List<Resource> resources, Map<String, Value.Scalar> limits) {
        State state = states.get(id.getValue());
        if (state != null) {
            Journal.append(state.sandbox(), VERSION, "update " + id.getValue() + " with " + resources.size()
                    + " resources (" + state.formatB() + ")");
        }
    }

    @Override
    public ResourceStatistics usage(ContainerID id) {
        State state = states.get(id.getValue());
        if (state != null) {
            Journal.append(state.sandbox(), VERSION, "usage " + id.getValue() + " (" + state.formatB() + ")");
        }
        return ResourceStatistics.getDefaultInstance();
    }

    /** Deletes the resource file, but only if it holds the token of the recovered state. */
    @Override
    public void cleanup(ContainerID id) throws Exception {
        State state = states.remove(id.getValue());
        if (state == null) {
            return;
        }
        Path resource = state.sandbox().resolve(Journal.RESOURCE);
        if (Files.exists(resource) && !Files.readString(resource).equals(state.token())) {
            throw new IllegalStateException("test/versioned: " + resource + " does not hold the token of container '"
                    + id.getValue() + "'");
        }
        Files.deleteIfExists(resource);
        Journal.append(state.sandbox(), VERSION, "cleanup " + id.getValue() + " (" + state.formatB() + ")");
    }
}
