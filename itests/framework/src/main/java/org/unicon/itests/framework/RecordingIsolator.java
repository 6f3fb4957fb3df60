package org.unicon.itests.framework;

import java.util.List;
import java.util.Optional;

import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;

/** A real isolator service registered by the tests; it records every call into a shared log. */
final class RecordingIsolator implements Isolator {
    private final String name;
    private final List<String> log;

    RecordingIsolator(String name, List<String> log) {
        this.name = name;
        this.log = log;
    }

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) {
        log.add("prepare " + name + " " + container.containerId().getValue());
        return Optional.empty();
    }

    @Override
    public void isolate(ContainerID id, long pid) {
        log.add("isolate " + name + " " + id.getValue() + (pid > 0 ? " pid" : " nopid"));
    }

    @Override
    public void cleanup(ContainerID id) {
        log.add("cleanup " + name + " " + id.getValue());
    }
}
