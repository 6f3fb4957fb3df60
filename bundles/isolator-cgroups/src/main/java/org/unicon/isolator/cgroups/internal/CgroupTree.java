package org.unicon.isolator.cgroups.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Creating and removing a container's cgroup directories. Creating one also creates the
 * {@code cgroups_root} above it and, in cgroup v2, enables the controller in every ancestor;
 * removing the last one removes the root too, so the host is left as it was. Nothing here kills:
 * removal waits for the cgroup to empty.
 */
final class CgroupTree {
    /** Creating a container's cgroup and removing an empty root must not interleave. */
    private static final Object TREE_LOCK = new Object();
    /** How long removal waits for a cgroup to empty (the launcher killed its processes already). */
    private static final int EMPTY_ATTEMPTS = 1000;
    private static final long EMPTY_PAUSE_MILLIS = 10;

    private CgroupTree() {
    }

    /** Creates the cgroups, enabling v2 controllers in every ancestor's {@code cgroup.subtree_control}. */
    static void create(ContainerCgroups cgroups) throws IOException {
        synchronized (TREE_LOCK) {
            for (Controller c : cgroups.controllers()) {
                Path dir = cgroups.dir(c);
                for (int attempt = 0;; attempt++) {
                    try {
                        if (cgroups.v2(c) && c != Controller.CPUACCT) {
                            enableV2(cgroups.hierarchies().get(c).mountPoint(), dir, c);
                        }
                        Files.createDirectories(dir);
                        break;
                    } catch (NoSuchFileException e) {
                        if (attempt == 3) { // a parent keeps disappearing: another cleanup removed it
                            throw new IOException("cannot create the cgroup " + dir + ": " + e.getMessage(), e);
                        }
                    }
                }
            }
        }
    }

    private static void enableV2(Path mountPoint, Path dir, Controller c) throws IOException {
        Path parent = mountPoint;
        for (Path name : mountPoint.relativize(dir.getParent())) {
            enableIn(parent, c);
            parent = parent.resolve(name);
            Files.createDirectories(parent);
        }
        enableIn(parent, c);
    }

    private static void enableIn(Path cgroup, Controller c) throws IOException {
        Path control = cgroup.resolve("cgroup.subtree_control");
        if (!List.of(Files.readString(control).strip().split("\\s+")).contains(c.kernelName)) {
            try {
                CgroupFiles.write(control, "+" + c.kernelName);
            } catch (IOException e) {
                throw new IOException("cannot enable the " + c.kernelName + " controller in " + control + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * Removes the container's cgroups, waiting for them to empty (processes that were just killed
     * leave them a moment later), then the root and its parents if no other container uses them.
     * A cgroup that is already gone (the linux launcher removes its cgroupsPath) is fine.
     */
    static void remove(ContainerCgroups cgroups) throws IOException, InterruptedException {
        List<Path> left = new ArrayList<>(cgroups.distinctDirs());
        for (int attempt = 0; !left.isEmpty(); attempt++) {
            for (var it = left.iterator(); it.hasNext();) {
                try {
                    Files.deleteIfExists(it.next()); // rmdir: a cgroup's control files do not count
                    it.remove();
                } catch (IOException e) {
                    // still has processes or children: retried below
                }
            }
            if (left.isEmpty()) {
                break;
            }
            if (attempt == EMPTY_ATTEMPTS) {
                throw new IOException("the cgroups " + left + " of container '" + cgroups.containerId()
                        + "' cannot be removed: processes " + processes(left) + " are still in them");
            }
            Thread.sleep(EMPTY_PAUSE_MILLIS);
        }
        removeEmptyRoot(cgroups);
    }

    /**
     * Kills every process in the cgroups (again, until none is left: a process may fork while
     * it is being killed), then removes them as {@link #remove} does. For orphans only: a
     * container's own processes are the launcher's to kill.
     */
    static void destroy(ContainerCgroups cgroups) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < EMPTY_ATTEMPTS; attempt++) {
            List<String> pids = processes(cgroups.distinctDirs());
            if (pids.isEmpty()) {
                break;
            }
            for (String pid : pids) {
                ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
            Thread.sleep(EMPTY_PAUSE_MILLIS);
        }
        remove(cgroups);
    }

    private static void removeEmptyRoot(ContainerCgroups cgroups) {
        synchronized (TREE_LOCK) {
            for (Controller c : cgroups.controllers()) {
                Path mountPoint = cgroups.hierarchies().get(c).mountPoint();
                for (Path p = cgroups.dir(c).getParent(); p != null && p.startsWith(mountPoint) && !p.equals(mountPoint);
                        p = p.getParent()) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        break; // another container's cgroup is still in it
                    }
                }
            }
        }
    }

    private static List<String> processes(List<Path> dirs) {
        List<String> pids = new ArrayList<>();
        for (Path dir : dirs) {
            try {
                pids.addAll(Files.readAllLines(dir.resolve("cgroup.procs")));
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        return pids;
    }
}
