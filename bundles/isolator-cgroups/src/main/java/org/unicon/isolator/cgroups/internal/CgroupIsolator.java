package org.unicon.isolator.cgroups.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.RecoveredContainer;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.ContainerLimitation;
import org.unicon.model.Resource;
import org.unicon.model.ResourceStatistics;
import org.unicon.model.Value;

/**
 * A cgroups isolator: the lifecycle common to cpu, mem and pids, with the {@link Subsystem} doing
 * the controller-specific part. prepare creates {@code <hierarchy>/<cgroups_root>/<id>} for each of
 * the subsystem's controllers (adopting one that exists: the v2 directory is shared by the
 * isolators, and co-mounted v1 controllers share one too) and sets the limits; isolate writes the
 * pid to {@code cgroup.procs} (harmless when the OCI runtime already placed it, since it was given
 * the same path); cleanup removes the cgroups once empty, never killing anything. The checkpoint is
 * the {@code cgroups_root} used, so a later change of the setting does not lose containers.
 */
final class CgroupIsolator implements Isolator, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CgroupIsolator.class.getName());

    private final CgroupHierarchies hierarchies;
    private final String cgroupsRoot;
    private final Subsystem subsystem;
    private final Map<String, Tracked> containers = new ConcurrentHashMap<>();

    private record Tracked(ContainerCgroups cgroups, CompletableFuture<ContainerLimitation> limitation,
            Optional<AutoCloseable> watch) {
    }

    CgroupIsolator(CgroupHierarchies hierarchies, String cgroupsRoot, Subsystem subsystem) {
        this.hierarchies = hierarchies;
        this.cgroupsRoot = CgroupHierarchies.checkRoot(cgroupsRoot);
        this.subsystem = subsystem;
    }

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) throws Exception {
        String id = container.containerId().getValue();
        ContainerCgroups cgroups = locate(id, cgroupsRoot);
        container.checkpoint(checkpoint(cgroupsRoot));
        CgroupTree.create(cgroups);
        try {
            subsystem.apply(cgroups, container.config().getResourcesList(), container.config().getLimitsMap());
            track(cgroups);
        } catch (Exception e) {
            CgroupTree.remove(cgroups);
            throw e;
        }
        LOG.log(Level.INFO, "container ''{0}'': {1} prepared {2}", id, subsystem.isolatorName(), cgroups.distinctDirs());
        return Optional.empty();
    }

    @Override
    public void isolate(ContainerID id, long pid) throws Exception {
        Tracked tracked = containers.get(id.getValue());
        if (tracked == null) {
            return;
        }
        for (Path dir : tracked.cgroups().distinctDirs()) {
            try {
                CgroupFiles.write(dir.resolve("cgroup.procs"), Long.toString(pid));
            } catch (IOException e) {
                throw new IOException("cannot move process " + pid + " of container '" + id.getValue() + "' into the"
                        + " cgroup " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public CompletionStage<ContainerLimitation> watch(ContainerID id) {
        Tracked tracked = containers.get(id.getValue());
        return tracked == null ? new CompletableFuture<>() : tracked.limitation();
    }

    @Override
    public void update(ContainerID id, List<Resource> resources, Map<String, Value.Scalar> limits) throws Exception {
        Tracked tracked = containers.get(id.getValue());
        if (tracked == null) {
            throw new IllegalStateException("container '" + id.getValue() + "' has no cgroups of "
                    + subsystem.isolatorName() + " (it was not prepared by this isolator)");
        }
        subsystem.apply(tracked.cgroups(), resources, limits);
        LOG.log(Level.INFO, "container ''{0}'': {1} updated", id.getValue(), subsystem.isolatorName());
    }

    @Override
    public ResourceStatistics usage(ContainerID id) throws Exception {
        Tracked tracked = containers.get(id.getValue());
        if (tracked == null) {
            return ResourceStatistics.getDefaultInstance();
        }
        ResourceStatistics.Builder statistics = ResourceStatistics.newBuilder()
                .setTimestamp(System.currentTimeMillis() / 1000.0);
        subsystem.usage(tracked.cgroups(), statistics);
        return statistics.build();
    }

    @Override
    public void cleanup(ContainerID id) throws Exception {
        Tracked tracked = containers.remove(id.getValue());
        if (tracked == null) {
            return; // never prepared (or already cleaned up) by this isolator
        }
        stopWatch(tracked);
        CgroupTree.remove(tracked.cgroups());
        LOG.log(Level.INFO, "container ''{0}'': {1} removed its cgroups", id.getValue(), subsystem.isolatorName());
    }

    /**
     * Adopts the cgroups of recovered containers that this isolator prepared (reopening their
     * watches) and of the orphans the core will clean up; destroys cgroups under the root that no
     * container owns (killing what runs in them), as Mesos does: one agent owns its cgroups_root.
     * That is why the components wait for their configuration: started on the default root, an
     * agent configured for another root would destroy the default root's containers.
     */
    @Override
    public void recover(List<RecoveredContainer> recovered, Set<ContainerID> orphans) throws Exception {
        Set<String> owned = new HashSet<>();
        for (RecoveredContainer container : recovered) {
            String id = container.containerId().getValue();
            owned.add(id);
            if (container.state().isEmpty()) {
                continue;
            }
            String root = rootOf(container.state().get().getState().toByteArray());
            ContainerCgroups cgroups = locate(id, root);
            if (cgroups.distinctDirs().stream().noneMatch(Files::isDirectory)) {
                LOG.log(Level.WARNING, "container ''{0}'': its cgroups {1} are gone; {2} has nothing to recover",
                        id, cgroups.distinctDirs(), subsystem.isolatorName());
                containers.put(id, new Tracked(cgroups, new CompletableFuture<>(), Optional.empty()));
                continue;
            }
            track(cgroups);
            LOG.log(Level.INFO, "container ''{0}'': {1} recovered {2}", id, subsystem.isolatorName(), cgroups.distinctDirs());
        }
        for (ContainerID orphan : orphans) {
            owned.add(orphan.getValue());
            ContainerCgroups cgroups = locate(orphan.getValue(), cgroupsRoot);
            containers.putIfAbsent(orphan.getValue(), new Tracked(cgroups, new CompletableFuture<>(), Optional.empty()));
        }
        for (Path dir : unowned(owned)) {
            String id = dir.getFileName().toString();
            LOG.log(Level.WARNING, "orphan cgroup {0}: no container of this agent owns it; {1} kills what runs in"
                    + " it and removes it", dir, subsystem.isolatorName());
            try {
                CgroupTree.destroy(locate(id, cgroupsRoot));
            } catch (IOException e) {
                LOG.log(Level.ERROR, "orphan cgroup {0}: {1}", dir, e.getMessage());
            }
        }
    }

    /** Stops every watch (the bundle stops); the containers and their cgroups stay. */
    @Override
    public void close() {
        containers.values().forEach(CgroupIsolator::stopWatch);
    }

    /** Directories under the root, for this subsystem's controllers, that none of {@code owned} names. */
    List<Path> unowned(Set<String> owned) throws IOException {
        List<Path> found = new ArrayList<>();
        Set<Path> roots = new HashSet<>();
        for (Controller c : subsystem.controllers()) {
            if (hierarchies.hierarchy(c).isPresent()) {
                roots.add(hierarchies.rootCgroup(c, cgroupsRoot));
            }
        }
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (DirectoryStream<Path> children = Files.newDirectoryStream(root, Files::isDirectory)) {
                for (Path child : children) {
                    if (!owned.contains(child.getFileName().toString())) {
                        found.add(child);
                    }
                }
            }
        }
        return found;
    }

    private ContainerCgroups locate(String id, String root) throws IOException {
        Map<Controller, Path> dirs = new EnumMap<>(Controller.class);
        Map<Controller, Hierarchy> where = new EnumMap<>(Controller.class);
        for (Controller c : subsystem.controllers()) {
            try {
                where.put(c, hierarchies.require(c));
            } catch (IOException e) {
                throw new IOException(subsystem.isolatorName() + " cannot work: " + e.getMessage(), e);
            }
            dirs.put(c, hierarchies.containerCgroup(c, root, id));
        }
        return new ContainerCgroups(id, root, dirs, where);
    }

    private void track(ContainerCgroups cgroups) throws IOException {
        CompletableFuture<ContainerLimitation> limitation = new CompletableFuture<>();
        Optional<AutoCloseable> watch = subsystem.watch(cgroups, limitation);
        Tracked old = containers.put(cgroups.containerId(), new Tracked(cgroups, limitation, watch));
        if (old != null) {
            stopWatch(old);
        }
    }

    private static void stopWatch(Tracked tracked) {
        tracked.watch().ifPresent(w -> {
            try {
                w.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "container ''{0}'': stopping its watch failed: {1}",
                        tracked.cgroups().containerId(), e.getMessage());
            }
        });
    }

    /** The checkpoint: one line {@code cgroups_root=<root>}. */
    static byte[] checkpoint(String cgroupsRoot) {
        return ("cgroups_root=" + cgroupsRoot + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private String rootOf(byte[] state) {
        for (String line : new String(state, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("cgroups_root=")) {
                return CgroupHierarchies.checkRoot(line.substring("cgroups_root=".length()));
            }
        }
        return cgroupsRoot;
    }
}
