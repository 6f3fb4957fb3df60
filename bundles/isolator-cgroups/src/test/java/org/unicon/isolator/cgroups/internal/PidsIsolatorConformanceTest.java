package org.unicon.isolator.cgroups.internal;

/** The isolator conformance suite for cgroups/pids, against the real cgroups of this host. */
class PidsIsolatorConformanceTest extends CgroupIsolatorConformance {
    PidsIsolatorConformanceTest() {
        super("cgroups/pids", () -> new PidsSubsystem(64), PidsIsolatorComponent.class);
    }
}
