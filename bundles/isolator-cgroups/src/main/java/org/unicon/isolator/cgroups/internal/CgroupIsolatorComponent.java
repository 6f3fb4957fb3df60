package org.unicon.isolator.cgroups.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

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
 * What the three cgroups components share: they delegate every call to a {@link CgroupIsolator}
 * made at activation. (The Declarative Services annotations stay on the concrete classes.)
 */
abstract class CgroupIsolatorComponent implements Isolator {
    private volatile CgroupIsolator isolator;

    final void start(CgroupsConfig config, Subsystem subsystem) throws Exception {
        isolator = new CgroupIsolator(CgroupHierarchies.detect(), config.cgroups__root(), subsystem);
    }

    final void stop() {
        isolator.close();
    }

    @Override
    public void recover(List<RecoveredContainer> containers, Set<ContainerID> orphans) throws Exception {
        isolator.recover(containers, orphans);
    }

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) throws Exception {
        return isolator.prepare(container);
    }

    @Override
    public void isolate(ContainerID id, long pid) throws Exception {
        isolator.isolate(id, pid);
    }

    @Override
    public CompletionStage<ContainerLimitation> watch(ContainerID id) {
        return isolator.watch(id);
    }

    @Override
    public void update(ContainerID id, List<Resource> resources, Map<String, Value.Scalar> limits) throws Exception {
        isolator.update(id, resources, limits);
    }

    @Override
    public ResourceStatistics usage(ContainerID id) throws Exception {
        return isolator.usage(id);
    }

    @Override
    public void cleanup(ContainerID id) throws Exception {
        isolator.cleanup(id);
    }
}
