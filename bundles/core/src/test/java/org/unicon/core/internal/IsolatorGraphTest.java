package org.unicon.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class IsolatorGraphTest {
    private final Map<String, List<String>> available = new LinkedHashMap<>();

    @Test
    void dependenciesPrepareFirstWhateverTheConfiguredOrder() throws Exception {
        available.put("cgroups/mem", List.of());
        available.put("network/cni", List.of("filesystem/linux"));
        available.put("filesystem/linux", List.of());
        available.put("docker/runtime", List.of("filesystem/linux"));
        List<String> order = IsolatorGraph.order(List.of("network/cni", "cgroups/mem", "docker/runtime",
                "filesystem/linux"), available);
        assertEquals(List.of("filesystem/linux", "network/cni", "cgroups/mem", "docker/runtime"), order);
    }

    @Test
    void independentIsolatorsKeepTheConfiguredOrder() throws Exception {
        available.put("a", List.of());
        available.put("b", List.of());
        available.put("c", List.of());
        assertEquals(List.of("c", "a", "b"), IsolatorGraph.order(List.of("c", "a", "b"), available));
    }

    @Test
    void transitiveDependenciesAreOrdered() throws Exception {
        available.put("a", List.of("b"));
        available.put("b", List.of("c"));
        available.put("c", List.of());
        assertEquals(List.of("c", "b", "a"), IsolatorGraph.order(List.of("a", "b", "c"), available));
    }

    @Test
    void aCycleIsRefusedAndNamed() {
        available.put("a", List.of("b"));
        available.put("b", List.of("c"));
        available.put("c", List.of("a"));
        var e = assertThrows(IsolatorGraph.InvalidIsolation.class,
                () -> IsolatorGraph.order(List.of("a", "b", "c"), available));
        assertEquals("isolators depend on each other in a cycle: a -> b -> c -> a", e.getMessage());
    }

    @Test
    void aMissingDependencyIsRefusedAndNamed() {
        available.put("network/cni", List.of("filesystem/linux"));
        available.put("filesystem/linux", List.of());
        var e = assertThrows(IsolatorGraph.InvalidIsolation.class,
                () -> IsolatorGraph.order(List.of("network/cni"), available));
        assertEquals("'network/cni' requires 'filesystem/linux', which isolation does not name;"
                + " available isolators: filesystem/linux, network/cni", e.getMessage());
    }

    @Test
    void anUnknownIsolatorIsRefusedWithWhatIsAvailable() {
        available.put("cgroups/mem", List.of());
        var e = assertThrows(IsolatorGraph.InvalidIsolation.class,
                () -> IsolatorGraph.order(List.of("cgroups/mem", "gpu/nvidia"), available));
        assertEquals("isolation names 'gpu/nvidia', which is not installed; available isolators: cgroups/mem",
                e.getMessage());
        assertEquals(java.util.Set.of("gpu/nvidia"), e.involved(), "cgroups/mem does not depend on it");
    }

    @Test
    void isolatorsThatRequireAMissingOneAreInvolvedInTheProblem() {
        available.put("cgroups/mem", List.of());
        available.put("b", List.of("ghost"));
        available.put("c", List.of("b"));
        var e = assertThrows(IsolatorGraph.InvalidIsolation.class,
                () -> IsolatorGraph.order(List.of("cgroups/mem", "ghost", "b", "c"), available));
        assertEquals(java.util.Set.of("ghost", "b", "c"), e.involved());
    }

    @Test
    void aDependencyThatIsNotInstalledAtAllIsNamed() {
        available.put("a", List.of("ghost"));
        var e = assertThrows(IsolatorGraph.InvalidIsolation.class,
                () -> IsolatorGraph.order(List.of("a"), available));
        assertTrue(e.getMessage().startsWith("'a' requires 'ghost'"), e.getMessage());
    }

    @Test
    void aDuplicateIsRefused() {
        available.put("a", List.of());
        var e = assertThrows(IsolatorGraph.InvalidIsolation.class,
                () -> IsolatorGraph.order(List.of("a", "a"), available));
        assertEquals("isolation names 'a' twice", e.getMessage());
    }
}
