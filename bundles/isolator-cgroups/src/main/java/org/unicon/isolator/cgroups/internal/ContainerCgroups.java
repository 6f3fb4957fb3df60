package org.unicon.isolator.cgroups.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cgroups of one container for one isolator's controllers: the directory and hierarchy of
 * each (from {@link CgroupHierarchies}), and the {@code cgroups_root} they were made under.
 */
record ContainerCgroups(String containerId, String cgroupsRoot, Map<Controller, Path> dirs,
        Map<Controller, Hierarchy> hierarchies) {

    Path dir(Controller controller) {
        Path dir = dirs.get(controller);
        if (dir == null) {
            throw new IllegalStateException("no " + controller.kernelName + " cgroup for container '" + containerId + "'");
        }
        return dir;
    }

    boolean v2(Controller controller) {
        return hierarchies.get(controller).v2();
    }

    /** Each directory once (co-mounted v1 controllers and v2 share one). */
    List<Path> distinctDirs() {
        return new ArrayList<>(new LinkedHashSet<>(dirs.values()));
    }

    Set<Controller> controllers() {
        return dirs.keySet();
    }
}
