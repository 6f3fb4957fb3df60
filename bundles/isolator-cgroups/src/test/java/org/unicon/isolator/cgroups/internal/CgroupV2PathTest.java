package org.unicon.isolator.cgroups.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;

/**
 * The same scenarios, required to run on cgroup v2. On a hybrid host whose cgroup2 offers none
 * of these controllers (the project machine: only hugetlb) they are skipped with that message;
 * the v2 file formats are then covered by {@link CgroupFormatsTest} on real v2 file contents.
 */
class CgroupV2PathTest extends CgroupScenarios {
    CgroupV2PathTest() throws Exception {
    }

    @Override
    protected void requireHierarchy(Controller controller) {
        Optional<Hierarchy> h = hierarchies.hierarchy(controller);
        assumeTrue(h.isPresent() && h.get().v2(), "the v2 path of the " + controller.kernelName + " controller is not"
                + " tested on this host: it has " + h.map(Hierarchy::toString).orElse("no such controller")
                + " (a controller is in one hierarchy only; see CgroupFormatsTest for the v2 file formats)");
    }
}
