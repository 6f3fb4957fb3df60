package org.unicon.core.internal;

import org.unicon.hostfs.TreeDeleter;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

import org.unicon.containerizer.ContainerizerException;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.RecoveredContainer;
import org.unicon.launcher.LaunchedContainer;
import org.unicon.launcher.Launcher;
import org.unicon.model.ContainerCheckpoint;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerState;
import org.unicon.model.ContainerTermination;
import org.unicon.model.IsolatorCheckpoint;

/**
 * Rebuilds the containerizer's state from the runtime directory when it starts: terminated
 * containers come back with their termination; running ones are reattached through the
 * launcher that created them, and every isolator recovers its state; containers whose launch
 * the agent left half-done are destroyed. A plugin registered later (installed or upgraded
 * while containers run) recovers its containers when it arrives.
 */
final class Recovery {
    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

    private record Launched(ContainerID containerId, OptionalLong pid, Path directory) implements LaunchedContainer {}

    private record Recovered(ContainerID containerId, ContainerConfig config, OptionalLong pid,
            Optional<IsolatorCheckpoint> state) implements RecoveredContainer {}

    private final ContainerizerCore core;

    Recovery(ContainerizerCore core) {
        this.core = core;
    }

    void run() throws IOException {
        List<Container> unfinished = new ArrayList<>();
        Path root = core.paths().runtimeContainers();
        if (Files.isDirectory(root)) {
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path dir : dirs.sorted().toList()) {
                    load(dir.getFileName().toString()).ifPresent(c -> {
                        core.table().put(c.name, c);
                        if (c.pid == null && !c.terminated()) {
                            unfinished.add(c);
                        }
                    });
                }
            }
        }
        core.registry().launchers.all().forEach(this::attach);
        core.registry().isolators.all().forEach(this::recover);
        core.onClose(core.registry().launchers.onAdded(this::attach));
        core.onClose(core.registry().isolators.onAdded(this::recover));
        for (Container container : unfinished) {
            LOG.log(Level.WARNING, "container {0}: the agent stopped while it was launching; destroying it",
                    container.name);
            core.destroy(container);
        }
    }

    private Optional<Container> load(String name) throws IOException {
        Paths paths = core.paths();
        try {
            ContainerIds.validate(ContainerID.newBuilder().setValue(name).build());
        } catch (ContainerizerException e) {
            LOG.log(Level.WARNING, "ignoring {0} in the runtime directory: {1}", paths.runtime(name), e.getMessage());
            return Optional.empty();
        }
        Optional<ContainerCheckpoint> record = core.checkpoints().read(paths.containerCheckpoint(name),
                ContainerCheckpoint.parser());
        if (record.isEmpty()) {
            LOG.log(Level.WARNING, "container {0}: no checkpoint (the agent stopped as it began launching); "
                    + "removing its runtime directory", name);
            TreeDeleter.delete(paths.runtime(name));
            return Optional.empty();
        }
        Container container = new Container(record.get().getContainerId(), ContainerState.RUNNING);
        container.checkpoint = record.get();
        container.config = core.checkpoints().read(paths.config(name), ContainerConfig.parser()).orElse(null);
        container.rootfsProvisioned = Files.exists(paths.rootfs(name));
        Optional<ContainerTermination> termination = core.checkpoints().read(paths.termination(name),
                ContainerTermination.parser());
        if (termination.isPresent()) {
            container.state = ContainerState.TERMINATED;
            container.destroying = container.termination;
            container.termination.complete(termination.get());
            return Optional.of(container);
        }
        Optional<String> pid = core.checkpoints().readText(paths.pid(name));
        if (pid.isPresent()) {
            container.pid = Long.parseLong(pid.get());
        } else {
            container.state = ContainerState.DESTROYING;
            container.launchFailed = true;
            container.destroyMessage = "the agent stopped while the container was launching";
        }
        return Optional.of(container);
    }

    /** Reattaches the launcher's running containers and watches them again. */
    private void attach(Plugin<Launcher> launcher) {
        List<Container> mine = running(c -> c.pid != null && c.checkpoint.getLauncher().getName().equals(launcher.name()));
        if (mine.isEmpty()) {
            return;
        }
        List<LaunchedContainer> launched = new ArrayList<>();
        for (Container c : mine) {
            launched.add(new Launched(c.id, OptionalLong.of(c.pid), core.paths().launcherDir(c.name)));
        }
        try {
            Set<ContainerID> orphans = launcher.service().recover(launched);
            orphans.forEach(o -> LOG.log(Level.WARNING, "launcher {0} reports an orphan container {1}",
                    launcher.name(), o.getValue()));
        } catch (Exception e) {
            LOG.log(Level.ERROR, "launcher {0} failed to recover {1} containers: {2}", launcher.name(),
                    mine.size(), e.getMessage());
            return;
        }
        for (Container c : mine) {
            LOG.log(Level.INFO, "container {0}: reattached through launcher {1}", c.name, launcher.name());
            core.watch(c, core.isolatorsOf(c), launcher.service());
        }
    }

    /** Hands an isolator the state it (or an earlier version of it) checkpointed. */
    private void recover(Plugin<Isolator> isolator) {
        List<RecoveredContainer> states = new ArrayList<>();
        for (Container c : running(c -> true)) {
            Optional<IsolatorCheckpoint> state;
            try {
                state = core.checkpoints().read(core.paths().isolatorCheckpoint(c.name, isolator.name()),
                        IsolatorCheckpoint.parser());
            } catch (IOException e) {
                LOG.log(Level.ERROR, "container {0}: {1}", c.name, e.getMessage());
                state = Optional.empty();
            }
            states.add(new Recovered(c.id, c.config == null ? ContainerConfig.getDefaultInstance() : c.config,
                    c.pid == null ? OptionalLong.empty() : OptionalLong.of(c.pid), state));
        }
        if (states.isEmpty()) {
            return;
        }
        try {
            isolator.service().recover(states, Set.of());
        } catch (Exception e) {
            LOG.log(Level.ERROR, "isolator {0} failed to recover: {1}", isolator.name(), e.getMessage());
        }
    }

    private List<Container> running(java.util.function.Predicate<Container> filter) {
        List<Container> out = new ArrayList<>();
        for (Container c : core.table().values()) {
            if (!c.terminated() && c.checkpoint != null && filter.test(c)) {
                out.add(c);
            }
        }
        return out;
    }
}
