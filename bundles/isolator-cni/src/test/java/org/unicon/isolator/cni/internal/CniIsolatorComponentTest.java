package org.unicon.isolator.cni.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.testkit.isolator.TestContainerContext;

/** The component's handling of its configuration, with the values Config Admin would pass. */
class CniIsolatorComponentTest {
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static <T> T annotation(Class<T> type, Map<String, String> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String key = method.getName().replace("__", "_");
            return values.containsKey(key) ? values.get(key) : method.getDefaultValue();
        });
    }

    private TestContainerContext container(String id, String network) throws Exception {
        Path sandbox = Files.createDirectories(dir.resolve(id));
        return new TestContainerContext(id, network == null ? TestNetworks.config(sandbox, null)
                : TestNetworks.config(sandbox, null, TestNetworks.network(network)));
    }

    @Test
    void aBadValueIsNamedAndOnlyLaunchesThatAskForANetworkFail() throws Exception {
        CniIsolatorComponent component = new CniIsolatorComponent();
        TestNetworks networks = TestNetworks.write(dir);
        CniIsolatorComponent.AgentConfig agent = annotation(CniIsolatorComponent.AgentConfig.class,
                Map.of("runtime_dir", dir.resolve("run").toString()));
        component.activate(annotation(CniConfig.class, Map.of("network_cni_config_dir", networks.configs().toString(),
                "ports", "[31000-x]")), agent);

        assertTrue(component.prepare(container("hostnet", null)).isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> component.prepare(container("c1", "plainnet")));
        assertEquals("network/cni has no usable configuration: unicon.isolator.cni: ports '[31000-x]' is not a list of"
                + " port ranges such as [31000-32000] (the part '31000-x' is not BEGIN-END)", e.getMessage());

        component.modified(annotation(CniConfig.class, Map.of("network_cni_config_dir", networks.configs().toString())),
                agent);
        TestContainerContext corrected = container("c2", "plainnet");
        assertEquals(NetworkPlan.CLONE_NEWNET, component.prepare(corrected).orElseThrow().getCloneNamespaces(0),
                "a corrected configuration applies to the next launch");
        component.cleanup(corrected.containerId());

        component.modified(annotation(CniConfig.class, Map.of("network_cni_config_dir", "relative/dir")), agent);
        TestContainerContext after = container("c3", "plainnet");
        assertTrue(component.prepare(after).isPresent(), "a bad change leaves the last good one in force");
        component.cleanup(after.containerId());
        assertTrue(Files.list(dir.resolve("run/isolators/network/cni")).findAny().isEmpty());
    }
}
