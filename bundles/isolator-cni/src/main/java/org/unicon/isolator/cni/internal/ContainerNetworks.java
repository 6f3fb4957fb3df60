package org.unicon.isolator.cni.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What network/cni decided for one container in {@code prepare}, checkpointed (as JSON) before
 * anything is acted on: the container's directory, the ID the plugins see, the hostname its
 * /etc files name, and each network it joins with its interface and its host ports.
 */
record ContainerNetworks(Path directory, String cniContainerId, Optional<String> hostname, boolean etcFiles,
        List<Attachment> attachments) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 1;

    /** A port mapping with its host port assigned. */
    record PortMapping(int hostPort, int containerPort, String protocol) {
        @Override
        public String toString() {
            return hostPort + "->" + containerPort + "/" + protocol;
        }
    }

    /**
     * One network the container joins: its name, the interface in the container, the index of
     * its NetworkInfo in the container's {@code network_infos}, and its port mappings.
     */
    record Attachment(String network, String ifname, int index, List<PortMapping> portMappings) {
        Attachment {
            portMappings = List.copyOf(portMappings);
        }
    }

    ContainerNetworks {
        attachments = List.copyOf(attachments);
    }

    List<Integer> hostPorts() {
        List<Integer> ports = new ArrayList<>();
        attachments.forEach(a -> a.portMappings().forEach(m -> ports.add(m.hostPort())));
        return ports;
    }

    byte[] toBytes() throws IOException {
        ObjectNode json = JSON.createObjectNode();
        json.put("format", FORMAT);
        json.put("directory", directory.toString());
        json.put("cni_container_id", cniContainerId);
        hostname.ifPresent(h -> json.put("hostname", h));
        json.put("etc_files", etcFiles);
        ArrayNode list = json.putArray("attachments");
        for (Attachment a : attachments) {
            ObjectNode entry = list.addObject();
            entry.put("network", a.network());
            entry.put("ifname", a.ifname());
            entry.put("index", a.index());
            ArrayNode mappings = entry.putArray("port_mappings");
            for (PortMapping m : a.portMappings()) {
                mappings.addObject().put("host_port", m.hostPort()).put("container_port", m.containerPort())
                        .put("protocol", m.protocol());
            }
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
    }

    /** Reads a checkpoint; a format this version does not know is an error naming it. */
    static ContainerNetworks parse(byte[] bytes) throws IOException {
        JsonNode json = JSON.readTree(bytes);
        if (json == null || json.path("format").asInt(0) != FORMAT) {
            throw new IOException("the network/cni checkpoint has format " + (json == null ? "none"
                    : json.path("format").asText("none")) + "; this version reads format " + FORMAT);
        }
        Path directory = Path.of(json.path("directory").asText(""));
        if (!directory.isAbsolute() || directory.getNameCount() == 0) {
            throw new IOException("the network/cni checkpoint names no absolute directory ('" + directory + "')");
        }
        List<Attachment> attachments = new ArrayList<>();
        for (JsonNode entry : json.path("attachments")) {
            List<PortMapping> mappings = new ArrayList<>();
            for (JsonNode m : entry.path("port_mappings")) {
                mappings.add(new PortMapping(m.path("host_port").asInt(), m.path("container_port").asInt(),
                        m.path("protocol").asText("tcp")));
            }
            attachments.add(new Attachment(entry.path("network").asText(), entry.path("ifname").asText(),
                    entry.path("index").asInt(), mappings));
        }
        Optional<String> hostname = json.hasNonNull("hostname") ? Optional.of(json.get("hostname").asText())
                : Optional.empty();
        return new ContainerNetworks(directory, json.path("cni_container_id").asText(),
                hostname, json.path("etc_files").asBoolean(false), attachments);
    }
}
