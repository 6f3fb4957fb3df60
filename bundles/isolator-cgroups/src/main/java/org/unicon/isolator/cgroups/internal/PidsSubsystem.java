package org.unicon.isolator.cgroups.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.unicon.model.Resource;
import org.unicon.model.ResourceStatistics;
import org.unicon.model.Value;

/**
 * {@code cgroups/pids}: {@code pids.max} from a {@code pids} resource (or limit) when the container
 * has one, else the configured default ({@code cgroups_pids_max}, 0 = unlimited). A fork beyond it
 * fails with EAGAIN; the processes already there stay killable. Statistics: {@code pids.current}.
 * The files are the same in cgroup v1 and v2.
 */
final class PidsSubsystem implements Subsystem {
    private final long defaultMax;

    PidsSubsystem(long defaultMax) {
        if (defaultMax < 0) {
            throw new IllegalArgumentException("cgroups_pids_max must be 0 (unlimited) or more, is " + defaultMax);
        }
        this.defaultMax = defaultMax;
    }

    @Override
    public String isolatorName() {
        return "cgroups/pids";
    }

    @Override
    public Set<Controller> controllers() {
        return Set.of(Controller.PIDS);
    }

    @Override
    public void apply(ContainerCgroups cgroups, List<Resource> resources, Map<String, Value.Scalar> limits)
            throws IOException {
        Value.Scalar limit = limits.get("pids");
        double requested = limit != null ? limit.getValue() : Subsystem.scalar(resources, "pids");
        long max = requested < 0 ? defaultMax : Double.isInfinite(requested) ? 0 : (long) requested;
        if (requested >= 0 && !Double.isInfinite(requested) && max < 1) {
            throw new IllegalArgumentException("a pids resource must allow at least 1 process, is " + requested);
        }
        CgroupFiles.write(cgroups.dir(Controller.PIDS).resolve("pids.max"), max == 0 ? CgroupFiles.V2_MAX : Long.toString(max));
    }

    @Override
    public void usage(ContainerCgroups cgroups, ResourceStatistics.Builder statistics) throws IOException {
        statistics.setProcesses((int) CgroupFiles.readLong(cgroups.dir(Controller.PIDS).resolve("pids.current")));
    }
}
