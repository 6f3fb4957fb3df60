package org.unicon.isolator.cni.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs a network's plugin list as the CNI specification's runtime does. ADD runs the plugins in
 * order, each getting the previous one's result as {@code prevResult}; the last result is the
 * network's. DEL runs them in reverse, each with the final ADD result, and goes on past a
 * failing plugin so that the others still release what they hold; CHECK runs them in order.
 * Every plugin gets the network's {@code name} and {@code cniVersion}, and the capability
 * arguments it declares (here {@code portMappings}) as {@code runtimeConfig}.
 */
final class PluginChain {
    private final CniPlugins plugins;

    PluginChain(CniPlugins plugins) {
        this.plugins = plugins;
    }

    /** What a plugin is asked about one container on one interface. */
    record Target(String containerId, Optional<java.nio.file.Path> netns, String ifname, String cniArgs,
            List<ContainerNetworks.PortMapping> portMappings, JsonNode networkInfo) {}

    /** Every plugin the network needs is installed; else an error naming the network and the plugin. */
    void requirePlugins(NetworkConfig network) throws IOException {
        for (String type : network.pluginTypes()) {
            plugins.require(type, network.name());
        }
    }

    JsonNode add(NetworkConfig network, Target target) throws IOException {
        JsonNode previous = null;
        for (ObjectNode plugin : network.plugins()) {
            previous = plugins.run(network.name(), call("ADD", target), configFor(network, plugin, target, previous));
        }
        return previous;
    }

    /** CHECK of every plugin; the first failure is thrown. */
    void check(NetworkConfig network, Target target, JsonNode result) throws IOException {
        for (ObjectNode plugin : network.plugins()) {
            plugins.run(network.name(), call("CHECK", target), configFor(network, plugin, target, result));
        }
    }

    /**
     * DEL of every plugin, last first; returns the failures (each message names the network and
     * the plugin), having tried every plugin.
     *
     * @param result the final ADD result, when ADD got that far
     */
    List<String> delete(NetworkConfig network, Target target, Optional<JsonNode> result) {
        List<String> failures = new ArrayList<>();
        List<ObjectNode> reversed = new ArrayList<>(network.plugins());
        java.util.Collections.reverse(reversed);
        for (ObjectNode plugin : reversed) {
            try {
                plugins.run(network.name(), call("DEL", target), configFor(network, plugin, target, result.orElse(null)));
            } catch (IOException e) {
                failures.add(e.getMessage());
            }
        }
        return failures;
    }

    private static CniPlugins.Call call(String command, Target target) {
        return new CniPlugins.Call(command, target.containerId(), target.netns(), target.ifname(), target.cniArgs());
    }

    /** The spec's "execution configuration" of one plugin of the list. */
    static ObjectNode configFor(NetworkConfig network, ObjectNode plugin, Target target, JsonNode previous) {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("cniVersion", network.cniVersion());
        config.put("name", network.name());
        plugin.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("runtimeConfig") && !e.getKey().equals("prevResult")) {
                config.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        if (NetworkConfig.hasCapability(plugin, "portMappings") && !target.portMappings().isEmpty()) {
            ArrayNode mappings = config.putObject("runtimeConfig").putArray("portMappings");
            for (ContainerNetworks.PortMapping m : target.portMappings()) {
                mappings.addObject().put("hostPort", m.hostPort()).put("containerPort", m.containerPort())
                        .put("protocol", m.protocol());
            }
        }
        ObjectNode args = config.has("args") && config.get("args").isObject()
                ? (ObjectNode) config.get("args") : config.putObject("args");
        args.putObject("org.unicon").set("network_info", target.networkInfo());
        if (previous != null) {
            config.set("prevResult", previous);
        }
        return config;
    }
}
