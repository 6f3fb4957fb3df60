package org.unicon.isolator.cgroups.internal;

/** The isolator conformance suite for cgroups/cpu, against the real cgroups of this host. */
class CpuIsolatorConformanceTest extends CgroupIsolatorConformance {
    CpuIsolatorConformanceTest() {
        super("cgroups/cpu", () -> new CpuSubsystem(true), CpuIsolatorComponent.class);
    }
}
