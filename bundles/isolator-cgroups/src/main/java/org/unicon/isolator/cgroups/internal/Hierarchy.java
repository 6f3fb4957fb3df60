package org.unicon.isolator.cgroups.internal;

import java.nio.file.Path;

/**
 * Where one controller lives on this host: the mount point of its hierarchy and whether that is
 * a v1 hierarchy or the v2 (unified) one.
 */
record Hierarchy(Path mountPoint, boolean v2) {
    @Override
    public String toString() {
        return mountPoint + (v2 ? " (cgroup v2)" : " (cgroup v1)");
    }
}
