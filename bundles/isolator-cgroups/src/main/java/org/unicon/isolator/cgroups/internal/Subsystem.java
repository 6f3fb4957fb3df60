package org.unicon.isolator.cgroups.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.unicon.model.ContainerLimitation;
import org.unicon.model.Resource;
import org.unicon.model.ResourceStatistics;
import org.unicon.model.Value;

/**
 * What one cgroups isolator ({@code cgroups/cpu}, {@code cgroups/mem}, {@code cgroups/pids}) does
 * inside the cgroups that {@link CgroupIsolator} creates, places processes in and removes.
 */
interface Subsystem {

    /** The isolator's name, for messages. */
    String isolatorName();

    Set<Controller> controllers();

    /** Sets the limits the resources and limits ask for (at prepare and at every update). */
    void apply(ContainerCgroups cgroups, List<Resource> resources, Map<String, Value.Scalar> limits) throws IOException;

    /** Adds this subsystem's statistics. */
    void usage(ContainerCgroups cgroups, ResourceStatistics.Builder statistics) throws IOException;

    /**
     * Starts watching for the container hitting a limit, completing {@code limitation} if it does.
     * The returned handle stops watching; empty when this subsystem has nothing to watch.
     */
    default Optional<AutoCloseable> watch(ContainerCgroups cgroups, CompletableFuture<ContainerLimitation> limitation)
            throws IOException {
        return Optional.empty();
    }

    /** The sum of the scalar resources named {@code name}, or -1 when there are none. */
    static double scalar(List<Resource> resources, String name) {
        double total = -1;
        for (Resource r : resources) {
            if (r.getName().equals(name) && r.hasScalar()) {
                total = Math.max(total, 0) + r.getScalar().getValue();
            }
        }
        return total;
    }
}
