package org.unicon.isolator.cgroups.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.unicon.isolator.Isolator;
import org.unicon.model.ContainerConfig;
import org.unicon.testkit.isolator.IsolatorConformance;

/** The isolator conformance suite for one cgroups isolator, against the real cgroups of this host. */
abstract class CgroupIsolatorConformance extends IsolatorConformance {
    private final String name;
    private final Supplier<Subsystem> subsystem;
    private final Class<?> component;

    CgroupIsolatorConformance(String name, Supplier<Subsystem> subsystem, Class<?> component) {
        this.name = name;
        this.subsystem = subsystem;
        this.component = component;
    }

    @Override
    protected Isolator createIsolator(Path stateDir) throws Exception {
        return new CgroupIsolator(TestCgroups.hierarchies(), TestCgroups.ROOT, subsystem.get());
    }

    @Override
    protected Class<?> componentClass() {
        return component;
    }

    /** The busybox container with resources, so that the isolator has limits to set. */
    @Override
    protected ContainerConfig typicalConfig(Path sandbox, Path rootfs) {
        return super.typicalConfig(sandbox, rootfs).toBuilder()
                .addResources(TestCgroups.scalar("cpus", 0.5))
                .addResources(TestCgroups.scalar("mem", 64))
                .addResources(TestCgroups.scalar("pids", 32))
                .build();
    }

    @AfterEach
    void noCgroupLeft() throws Exception {
        TestCgroups.assertNothingLeft();
    }

    @Test
    void isRegisteredUnderItsMesosName() throws Exception {
        assertEquals(List.of(name), serviceProperties().get(Isolator.NAME));
    }
}
