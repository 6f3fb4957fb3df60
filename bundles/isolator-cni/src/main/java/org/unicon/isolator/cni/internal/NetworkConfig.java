package org.unicon.isolator.cni.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One CNI network: a plugin list ({@code .conflist}) or a single plugin configuration
 * ({@code .conf}), held in the list form. {@link #toJson()} is what the isolator keeps per
 * container, so that DEL uses the configuration ADD used even after the file changed.
 */
record NetworkConfig(String name, String cniVersion, List<ObjectNode> plugins, String source) {

    /** CNI's rule for network names. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");
    /** A plugin type is a file name in the plugin directories: nothing that could escape them. */
    private static final Pattern TYPE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");

    NetworkConfig {
        plugins = List.copyOf(plugins);
    }

    /**
     * Reads a configuration; {@code source} names it in messages (a file, or "the checkpoint").
     *
     * @throws IllegalArgumentException naming the source and what is wrong
     */
    static NetworkConfig parse(JsonNode json, String source) {
        if (!json.isObject()) {
            throw new IllegalArgumentException(source + " is not a JSON object");
        }
        String name = text(json, "name", source);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(source + ": network name '" + name + "' is not valid (letters, digits,"
                    + " '_', '.', '-', starting with a letter or digit)");
        }
        String version = json.path("cniVersion").asText("0.2.0");
        List<ObjectNode> plugins = new ArrayList<>();
        if (json.has("plugins")) {
            if (!json.get("plugins").isArray() || json.get("plugins").isEmpty()) {
                throw new IllegalArgumentException(source + ": 'plugins' of network '" + name
                        + "' must be a non-empty array");
            }
            for (JsonNode plugin : json.get("plugins")) {
                if (!plugin.isObject()) {
                    throw new IllegalArgumentException(source + ": a plugin of network '" + name + "' is not an object");
                }
                plugins.add(((ObjectNode) plugin).deepCopy());
            }
        } else {
            ObjectNode single = ((ObjectNode) json).deepCopy();
            single.remove(List.of("name", "cniVersion"));
            plugins.add(single);
        }
        for (ObjectNode plugin : plugins) {
            String type = text(plugin, "type", source + ": a plugin of network '" + name + "'");
            if (!TYPE.matcher(type).matches()) {
                throw new IllegalArgumentException(source + ": network '" + name + "' has a plugin of type '" + type
                        + "', which is not a plugin file name");
            }
            JsonNode ipam = plugin.path("ipam").path("type");
            if (!ipam.isMissingNode() && !TYPE.matcher(ipam.asText()).matches()) {
                throw new IllegalArgumentException(source + ": network '" + name + "' has an IPAM plugin of type '"
                        + ipam.asText() + "', which is not a plugin file name");
            }
        }
        return new NetworkConfig(name, version, plugins, source);
    }

    /** The plugin types in chain order, each with its IPAM plugin (if any) after it. */
    List<String> pluginTypes() {
        List<String> types = new ArrayList<>();
        for (ObjectNode plugin : plugins) {
            types.add(plugin.get("type").asText());
            JsonNode ipam = plugin.path("ipam").path("type");
            if (ipam.isTextual()) {
                types.add(ipam.asText());
            }
        }
        return types;
    }

    /** Whether a plugin of the chain takes the {@code portMappings} capability (e.g. portmap). */
    boolean mapsPorts() {
        return plugins.stream().anyMatch(p -> hasCapability(p, "portMappings"));
    }

    static boolean hasCapability(JsonNode plugin, String capability) {
        return plugin.path("capabilities").path(capability).asBoolean(false);
    }

    /** Whether the configuration's version knows CHECK (CNI 0.4.0 and later). */
    boolean supportsCheck() {
        String[] parts = cniVersion.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 0 || minor >= 4;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The list form: {@code {cniVersion, name, plugins: [...]}}. */
    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("cniVersion", cniVersion);
        json.put("name", name);
        ArrayNode list = json.putArray("plugins");
        plugins.forEach(p -> list.add(p.deepCopy()));
        return json;
    }

    private static String text(JsonNode json, String field, String where) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(where + " has no '" + field + "'");
        }
        return value.asText();
    }
}
