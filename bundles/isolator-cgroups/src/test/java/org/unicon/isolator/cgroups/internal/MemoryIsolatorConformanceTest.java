package org.unicon.isolator.cgroups.internal;

/** The isolator conformance suite for cgroups/mem, against the real cgroups of this host. */
class MemoryIsolatorConformanceTest extends CgroupIsolatorConformance {
    MemoryIsolatorConformanceTest() {
        super("cgroups/mem", () -> new MemorySubsystem(), MemoryIsolatorComponent.class);
    }
}
