package org.unicon.core.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.unicon.containerizer.ContainerizerException;
import org.unicon.hostfs.TreeDeleter;
import org.unicon.hostfs.Unmounter;
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
import org.unicon.model.TaskState;
import org.unicon.store.ImageStore;

/**
 * Rebuilds the containerizer's state when it starts, in Mesos's order: the core's checkpoints,
 * then the launchers (which reattach running containers and report the exit status of those
 * that ended while the agent was down), then the isolators and the image stores (which drop
 * what interrupted pulls left), then what nobody owns.
 *
 * <ul>
 * <li>A container with a termination stays terminated, listed until removed.
 * <li>A container with a pid is reattached through its launcher and watched again.
 * <li>A container the core was destroying is destroyed again with the cause it checkpointed.
 * <li>A container without a started mark (the agent died while launching it) is destroyed.
 * <li>After a reboot (the kernel's boot id changed) nothing survived: every container that was
 *     not terminated is destroyed and reported lost, and sandboxes whose records the reboot
 *     cleared (the runtime dir is on tmpfs) come back as lost containers.
 * <li>Orphans — containers a launcher finds that no checkpoint owns — are destroyed through the
 *     launcher and every isolator; root filesystems of containers the core does not know are
 *     unmounted and deleted.
 * </ul>
 *
 * A plugin registered later (installed or upgraded while containers run, or simply started
 * after the core) recovers its containers when it arrives, before any launch can use it.
 */
final class Recovery {
    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());
    /** Where Linux says which boot this is. */
    static final Path KERNEL_BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    private record Launched(ContainerID containerId, OptionalLong pid, Path directory) implements LaunchedContainer {}

    private record Recovered(ContainerID containerId, ContainerConfig config, OptionalLong pid,
            Optional<IsolatorCheckpoint> state, ContainerizerCore core, Plugin<Isolator> isolator)
            implements RecoveredContainer {
        @Override
        public void checkpoint(byte[] state) {
            IsolatorContext.checkpoint(core.checkpoints(), core.paths(), containerId, isolator, state);
        }
    }

    private record Orphan(ContainerID id, Plugin<Launcher> launcher) {}

    private final ContainerizerCore core;
    private final Path bootIdSource;

    Recovery(ContainerizerCore core) {
        this(core, KERNEL_BOOT_ID);
    }

    /** @param bootIdSource the file holding the current boot id (tests fake a reboot with their own) */
    Recovery(ContainerizerCore core, Path bootIdSource) {
        this.core = core;
        this.bootIdSource = bootIdSource;
    }

    /**
     * Containers to destroy once their launcher and every isolator they were prepared with are
     * registered: destroying without them would leave their processes or cgroups behind.
     */
    private final List<Container> pending = new ArrayList<>();
    /** Containers their launcher has reattached, by name. */
    private final Set<String> attached = new java.util.HashSet<>();

    void run() throws IOException {
        long started = System.nanoTime();
        Reboots reboots = new Reboots(core, bootIdSource);
        Optional<String> reboot = reboots.since();
        Path root = core.paths().runtimeContainers();
        if (Files.isDirectory(root)) {
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path dir : dirs.sorted().toList()) {
                    load(dir.getFileName().toString(), reboot).ifPresent(c -> {
                        core.table().put(c.name, c);
                        if (c.state() == ContainerState.DESTROYING) {
                            pending.add(c);
                        }
                    });
                }
            }
        }
        reboots.adoptLostSandboxes(reboot);
        reboots.record();

        List<Orphan> orphans;
        synchronized (this) {
            // Launchers first, then isolators (before any other call reaches them), then watches.
            orphans = new ArrayList<>();
            for (Plugin<Launcher> launcher : core.registry().launchers.all()) {
                orphans.addAll(reattach(launcher));
            }
            Set<ContainerID> orphanIds = new LinkedHashSet<>();
            orphans.forEach(o -> orphanIds.add(o.id()));
            core.registry().isolators.all().forEach(isolator -> recover(isolator, orphanIds));
            core.registry().launchers.all().forEach(this::watch);
            core.registry().stores.all().forEach(Recovery::recover);
            // A plugin that arrives later recovers before a launch can get it: the isolator SPI
            // promises recover before any other call.
            core.onClose(core.registry().launchers.onArriving(this::launcherArriving));
            core.onClose(core.registry().isolators.onArriving(this::isolatorArriving));
            core.onClose(core.registry().stores.onArriving(Recovery::recover));
            core.onClose(core.registry().launchers.onAdded(launcher -> destroyPending()));
            core.onClose(core.registry().isolators.onAdded(isolator -> destroyPending()));
        }
        orphans.forEach(this::destroy);
        sweepRootfses();
        int destroying = pending.size();
        destroyPending();
        long running = core.table().values().stream().filter(c -> c.state() == ContainerState.RUNNING).count();
        LOG.log(Level.INFO, "recovered {0} containers ({1} running) in {2} ms; destroying {3}, and {4} orphans",
                core.table().size(), running, (System.nanoTime() - started) / 1_000_000, destroying, orphans.size());
    }

    private synchronized void launcherArriving(Plugin<Launcher> launcher) {
        List<Orphan> orphans = reattach(launcher);
        watch(launcher);
        orphans.forEach(this::destroy);
    }

    private synchronized void isolatorArriving(Plugin<Isolator> isolator) {
        recover(isolator, Set.of());
        // Containers reattached at start and those launched since: a new version of an isolator
        // (its bundle was updated) watches what the old one watched.
        for (Container c : containers(c -> c.pid != null && c.isolators().stream()
                .anyMatch(ref -> ref.getName().equals(isolator.name())))) {
            core.watchLimit(c, isolator);
        }
    }

    /** Destroys the pending containers whose plugins are all registered now. */
    private synchronized void destroyPending() {
        for (java.util.Iterator<Container> it = pending.iterator(); it.hasNext(); ) {
            Container c = it.next();
            List<String> missing = new ArrayList<>();
            if (core.launcherOf(c).isEmpty()) {
                missing.add("launcher " + c.checkpoint.getLauncher().getName());
            }
            c.isolators().stream().filter(ref -> core.registry().isolators.get(ref.getName()).isEmpty())
                    .forEach(ref -> missing.add("isolator " + ref.getName()));
            if (!missing.isEmpty()) {
                LOG.log(Level.WARNING, "container {0}: {1}; destroying it once {2} registered", c.name,
                        c.cause.getMessage(), String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are"));
                continue;
            }
            it.remove();
            LOG.log(Level.WARNING, "container {0}: {1}; destroying it", c.name, c.cause.getMessage());
            core.destroy(c);
        }
    }

    private Optional<Container> load(String name, Optional<String> reboot) throws IOException {
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
            // The checkpoint is written before anything else is made, so there is nothing to undo.
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
        core.checkpoints().readText(paths.pid(name)).ifPresent(pid -> container.pid = Long.parseLong(pid));
        Optional<ContainerTermination> cause = core.checkpoints().read(paths.destroying(name),
                ContainerTermination.parser());
        if (reboot.isPresent()) {
            container.cause = Reboots.lost(reboot.get());
        } else if (cause.isPresent()) {
            container.cause = cause.get();
        } else if (!Files.exists(paths.started(name))) {
            container.launchFailed = true;
            container.destroyMessage = "the agent stopped while the container was launching"
                    + (container.pid == null ? "" : " (its process was created; its command had not started)");
            container.cause = ContainerTermination.newBuilder().setState(TaskState.TASK_FAILED)
                    .setReason(org.unicon.model.TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED)
                    .setMessage(container.destroyMessage).build();
        }
        if (container.cause != null) {
            container.state = ContainerState.DESTROYING;
        }
        return Optional.of(container);
    }

    /**
     * Reattaches the launcher's containers; returns those it found that no checkpoint owns. A
     * container the core was still launching (no pid checkpointed) that the launcher found is
     * destroyed in the launcher at once: the core's destroy of such a container has no pid.
     */
    private List<Orphan> reattach(Plugin<Launcher> launcher) {
        List<Container> mine = containers(c -> c.pid != null && c.checkpoint.getLauncher().getName().equals(launcher.name()));
        List<LaunchedContainer> launched = new ArrayList<>();
        for (Container c : mine) {
            launched.add(new Launched(c.id, OptionalLong.of(c.pid), core.paths().launcherDir(c.name)));
        }
        Set<ContainerID> found;
        try {
            found = launcher.service().recover(launched);
        } catch (Exception e) {
            LOG.log(Level.ERROR, "launcher {0} failed to recover {1} containers: {2}", launcher.name(),
                    mine.size(), e.getMessage());
            return List.of();
        }
        mine.forEach(c -> attached.add(c.name));
        List<Orphan> orphans = new ArrayList<>();
        for (ContainerID id : found) {
            Container known = core.table().get(id.getValue());
            if (known == null || known.terminated()) {
                orphans.add(new Orphan(id, launcher));
            } else {
                LOG.log(Level.INFO, "container {0}: created by launcher {1} before the agent stopped; "
                        + "destroying its processes", id.getValue(), launcher.name());
                destroyInLauncher(launcher, id);
            }
        }
        return orphans;
    }

    /** Watches the reattached containers of the launcher: their exit and their isolators' limits. */
    private void watch(Plugin<Launcher> launcher) {
        for (Container c : containers(c -> attached.contains(c.name)
                && c.checkpoint.getLauncher().getName().equals(launcher.name()))) {
            LOG.log(Level.DEBUG, "container {0}: reattached through launcher {1}", c.name, launcher.name());
            core.watch(c, core.isolatorsOf(c), launcher.service());
        }
    }

    /** Hands an isolator the state it (or an earlier version of it) checkpointed. */
    private void recover(Plugin<Isolator> isolator, Set<ContainerID> orphans) {
        List<RecoveredContainer> states = new ArrayList<>();
        for (Container c : containers(c -> true)) {
            Optional<IsolatorCheckpoint> state;
            try {
                state = core.checkpoints().read(core.paths().isolatorCheckpoint(c.name, isolator.name()),
                        IsolatorCheckpoint.parser());
            } catch (IOException e) {
                LOG.log(Level.ERROR, "container {0}: {1}", c.name, e.getMessage());
                state = Optional.empty();
            }
            states.add(new Recovered(c.id, c.config == null ? ContainerConfig.getDefaultInstance() : c.config,
                    c.pid == null ? OptionalLong.empty() : OptionalLong.of(c.pid), state, core, isolator));
        }
        try {
            isolator.service().recover(states, orphans);
        } catch (Exception e) {
            LOG.log(Level.ERROR, "isolator {0} failed to recover: {1}", isolator.name(), e.getMessage());
        }
    }

    /** Lets a store drop what an interrupted fetch left (before any fetch reaches it). */
    private static void recover(Plugin<ImageStore> store) {
        try {
            store.service().recover();
        } catch (Exception e) {
            LOG.log(Level.ERROR, "image store {0} failed to recover: {1}", store.name(), e.getMessage());
        }
    }

    /** Destroys an orphan as Mesos does: its processes through the launcher, then every isolator's cleanup. */
    private void destroy(Orphan orphan) {
        String name = orphan.id().getValue();
        LOG.log(Level.WARNING, "container {0}: an orphan (launcher {1} has it, no checkpoint owns it); destroying it",
                name, orphan.launcher().name());
        destroyInLauncher(orphan.launcher(), orphan.id());
        List<Plugin<Isolator>> isolators = new ArrayList<>(core.registry().isolators.all());
        java.util.Collections.reverse(isolators);
        for (Plugin<Isolator> isolator : isolators) {
            try {
                isolator.service().cleanup(orphan.id());
            } catch (Exception e) {
                LOG.log(Level.ERROR, "orphan {0}: isolator {1} failed to clean up: {2}", name, isolator.name(),
                        e.getMessage());
            }
        }
    }

    private static void destroyInLauncher(Plugin<Launcher> launcher, ContainerID id) {
        try {
            launcher.service().destroy(id);
        } catch (Exception e) {
            LOG.log(Level.ERROR, "container {0}: launcher {1} failed to destroy it: {2}", id.getValue(),
                    launcher.name(), e.getMessage());
        }
    }

    /**
     * Unmounts and deletes the root filesystems (and image volumes) of containers that are not
     * alive: those the core does not know (a crash before their checkpoint could name them is
     * impossible, but a runtime dir cleared by a reboot or by hand is not) and terminated ones.
     */
    private void sweepRootfses() {
        Path provisioned = core.paths().provisionerContainers();
        if (!Files.isDirectory(provisioned)) {
            return;
        }
        List<Path> dirs;
        try (Stream<Path> list = Files.list(provisioned)) {
            dirs = list.toList();
        } catch (IOException e) {
            LOG.log(Level.ERROR, "could not list {0}: {1}", provisioned, e.getMessage());
            return;
        }
        for (Path dir : dirs) {
            Container owner = core.table().get(dir.getFileName().toString());
            if (owner != null && !owner.terminated()) {
                continue;
            }
            try {
                Unmounter.unmountAll(dir);
                TreeDeleter.delete(dir);
                LOG.log(Level.WARNING, "removed {0}: no running container owns it", dir);
            } catch (IOException e) {
                LOG.log(Level.ERROR, "could not remove {0}, which no running container owns: {1}", dir, e.getMessage());
            }
        }
    }

    private List<Container> containers(Predicate<Container> filter) {
        List<Container> out = new ArrayList<>();
        for (Container c : core.table().values()) {
            if (!c.terminated() && c.checkpoint != null && filter.test(c)) {
                out.add(c);
            }
        }
        return out;
    }
}
