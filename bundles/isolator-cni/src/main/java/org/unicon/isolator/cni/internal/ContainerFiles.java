package org.unicon.isolator.cni.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Names and writes the files of one container under network/cni's root directory (the only
 * place that builds these paths), as Mesos lays them out:
 *
 * <pre>
 * &lt;root&gt;/&lt;id&gt;/ns                 bind mount of the container's network namespace
 * &lt;root&gt;/&lt;id&gt;/hosts, hostname, resolv.conf   bind-mounted over the container's /etc files
 * &lt;root&gt;/&lt;id&gt;/&lt;ifname&gt;.json      the network's configuration as sent to the plugins (written
 *                                 before ADD, so that cleanup knows to DEL) and, once ADD
 *                                 succeeded, its result
 * </pre>
 */
final class ContainerFiles {
    static final String NETNS = "ns";
    static final String HOSTS = "hosts";
    static final String HOSTNAME = "hostname";
    static final String RESOLV_CONF = "resolv.conf";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What was recorded for one interface: the configuration used and, after a successful ADD, the result. */
    record Attached(String cniContainerId, NetworkConfig config, List<ContainerNetworks.PortMapping> portMappings,
            Optional<JsonNode> result) {}

    private final Path dir;

    ContainerFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path netns() {
        return dir.resolve(NETNS);
    }

    Path etc(String name) {
        return dir.resolve(name);
    }

    Path attachment(String ifname) {
        return dir.resolve(ifname + ".json");
    }

    /**
     * Records what ADD is about to be run with: the configuration, the container ID the plugins
     * see and the port mappings (portmap's DEL removes nothing without them).
     */
    void recordAttaching(String ifname, String cniContainerId, NetworkConfig config,
            List<ContainerNetworks.PortMapping> portMappings) throws IOException {
        write(ifname, cniContainerId, config, portMappings, null);
    }

    void recordAttached(String ifname, String cniContainerId, NetworkConfig config,
            List<ContainerNetworks.PortMapping> portMappings, JsonNode result) throws IOException {
        write(ifname, cniContainerId, config, portMappings, result);
    }

    private void write(String ifname, String cniContainerId, NetworkConfig config,
            List<ContainerNetworks.PortMapping> portMappings, JsonNode result) throws IOException {
        ObjectNode json = JSON.createObjectNode();
        json.put("cni_container_id", cniContainerId);
        json.set("config", config.toJson());
        ArrayNode mappings = json.putArray("port_mappings");
        portMappings.forEach(m -> mappings.addObject().put("host_port", m.hostPort())
                .put("container_port", m.containerPort()).put("protocol", m.protocol()));
        if (result != null) {
            json.set("result", result);
        }
        writeAtomically(attachment(ifname), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    }

    /** What was recorded for {@code ifname}; empty when ADD was never attempted. */
    Optional<Attached> attached(String ifname) throws IOException {
        Path file = attachment(ifname);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode json = JSON.readTree(file.toFile());
        NetworkConfig config = NetworkConfig.parse(json.path("config"), file.toString());
        JsonNode result = json.get("result");
        List<ContainerNetworks.PortMapping> mappings = new ArrayList<>();
        for (JsonNode m : json.path("port_mappings")) {
            mappings.add(new ContainerNetworks.PortMapping(m.path("host_port").asInt(), m.path("container_port").asInt(),
                    m.path("protocol").asText("tcp")));
        }
        return Optional.of(new Attached(json.path("cni_container_id").asText(), config, mappings,
                Optional.ofNullable(result)));
    }

    /**
     * Writes an /etc file in place: once bind-mounted into the container, the mount holds this
     * inode, so the content must change without replacing the file.
     */
    void writeEtc(String name, String content) throws IOException {
        Path file = etc(name);
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(StandardCharsets.UTF_8.encode(content));
            channel.force(true);
        }
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path staged = file.resolveSibling("." + file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(staged, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(bytes));
            channel.force(true);
        }
        Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
