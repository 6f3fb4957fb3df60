package org.unicon.isolator.cgroups.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The scenarios on this host's hierarchies as they are (on the project machine: v1 for cpu,
 * cpuacct, memory and pids). A host without a controller skips the tests that need it.
 */
class CgroupLimitsTest extends CgroupScenarios {
    CgroupLimitsTest() throws Exception {
    }

    @Override
    protected void requireHierarchy(Controller controller) {
        assumeTrue(hierarchies.hierarchy(controller).isPresent(),
                "this host has no " + controller.kernelName + " cgroup controller");
    }
}
