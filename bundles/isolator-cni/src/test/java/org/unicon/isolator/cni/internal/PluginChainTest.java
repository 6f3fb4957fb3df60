package org.unicon.isolator.cni.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class PluginChainTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachPluginGetsTheNetworksNameVersionItsCapabilitiesAndThePreviousResult() throws Exception {
        NetworkConfig network = NetworkConfig.parse(JSON.readTree("{\"cniVersion\":\"1.0.0\",\"name\":\"web\","
                + "\"plugins\":[{\"type\":\"bridge\",\"bridge\":\"br0\"},"
                + "{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true},\"snat\":true}]}"), "web.conflist");
        PluginChain.Target target = new PluginChain.Target("c1", Optional.empty(), "eth0", "IgnoreUnknown=1",
                List.of(new ContainerNetworks.PortMapping(31000, 80, "tcp")), JSON.readTree("{\"name\":\"web\"}"));
        JsonNode previous = JSON.readTree("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.1.0.2/24\"}]}");

        ObjectNode bridge = PluginChain.configFor(network, network.plugins().get(0), target, null);
        assertEquals("web", bridge.get("name").asText());
        assertEquals("1.0.0", bridge.get("cniVersion").asText());
        assertEquals("br0", bridge.get("bridge").asText());
        assertFalse(bridge.has("runtimeConfig"), "bridge does not declare portMappings");
        assertFalse(bridge.has("prevResult"));
        assertEquals("web", bridge.at("/args/org.unicon/network_info/name").asText());

        ObjectNode portmap = PluginChain.configFor(network, network.plugins().get(1), target, previous);
        assertEquals(JSON.readTree("[{\"hostPort\":31000,\"containerPort\":80,\"protocol\":\"tcp\"}]"),
                portmap.at("/runtimeConfig/portMappings"));
        assertEquals(previous, portmap.get("prevResult"));
    }

    @Test
    void labelsBecomeCniArgs() {
        java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put("tier", "web");
        labels.put("zone", "a");
        assertEquals("IgnoreUnknown=1;tier=web;zone=a", NetworkAttacher.cniArgs(labels));
    }

    @Test
    void containerIdsCniRefusesAreReplacedByAStableName() {
        assertEquals("web-1_a", NetworkPlan.cniContainerId("web-1_a"));
        String derived = NetworkPlan.cniContainerId("web:1");
        assertEquals(derived, NetworkPlan.cniContainerId("web:1"));
        assertEquals(39, derived.length());
        assertFalse(derived.contains(":"));
    }

    @Test
    void theCheckpointReadsBack() throws Exception {
        ContainerNetworks networks = new ContainerNetworks(java.nio.file.Path.of("/run/x/c1"), "c1", Optional.of("c1"),
                true, List.of(new ContainerNetworks.Attachment("web", "eth0", 0,
                        List.of(new ContainerNetworks.PortMapping(31000, 80, "tcp")))));
        assertEquals(networks, ContainerNetworks.parse(networks.toBytes()));
        byte[] relative = new String(networks.toBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .replace("/run/x/c1", "").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> ContainerNetworks.parse(relative),
                "a checkpoint that names no absolute directory is refused: cleanup would delete from the working directory");
    }
}
