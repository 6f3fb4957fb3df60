package org.unicon.isolator.cni.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The networks of {@code network_cni_config_dir}, read afresh at every lookup (as Mesos does at
 * every attach), so that networks can be added, changed and removed while the agent runs. A
 * file that cannot be read or parsed is skipped with a warning: it breaks no other network.
 */
final class NetworkConfigs {
    private static final System.Logger LOG = System.getLogger(NetworkConfigs.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<Path> dir;

    /** @param dir the configuration directory; empty when none is configured */
    NetworkConfigs(Optional<Path> dir) {
        this.dir = dir;
    }

    /**
     * The network named {@code name}.
     *
     * @throws IllegalArgumentException when no configuration (or more than one) has that name,
     *     naming the directory and the networks it has
     */
    NetworkConfig get(String name) throws IOException {
        if (dir.isEmpty()) {
            throw new IllegalArgumentException("network '" + name + "' is not configured: " + CniConfig.PID
                    + " has no network_cni_config_dir");
        }
        Map<String, List<NetworkConfig>> all = readAll();
        List<NetworkConfig> found = all.getOrDefault(name, List.of());
        if (found.isEmpty()) {
            throw new IllegalArgumentException("network '" + name + "' is not configured: no configuration in "
                    + dir.get() + " has that name (configured networks: "
                    + (all.isEmpty() ? "none" : String.join(", ", all.keySet())) + ")");
        }
        if (found.size() > 1) {
            List<String> sources = found.stream().map(NetworkConfig::source).toList();
            throw new IllegalArgumentException("network '" + name + "' is configured twice, in " + sources
                    + "; network names must be unique in " + dir.get());
        }
        return found.get(0);
    }

    /** Every readable network, by name (a name may come from several files: an error for that name). */
    Map<String, List<NetworkConfig>> readAll() throws IOException {
        Map<String, List<NetworkConfig>> networks = new TreeMap<>();
        if (dir.isEmpty()) {
            return networks;
        }
        if (!Files.isDirectory(dir.get())) {
            throw new IOException("network_cni_config_dir " + dir.get() + " is not a directory");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.get(), "*.{conf,conflist,json}")) {
            entries.forEach(files::add);
        }
        files.sort(null);
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try {
                JsonNode json = JSON.readTree(file.toFile());
                NetworkConfig config = NetworkConfig.parse(json == null ? JSON.nullNode() : json, file.toString());
                networks.computeIfAbsent(config.name(), k -> new ArrayList<>()).add(config);
            } catch (IOException | IllegalArgumentException e) {
                LOG.log(Level.WARNING, "skipping CNI network configuration {0}: {1}", file,
                        e instanceof com.fasterxml.jackson.core.JsonProcessingException json ? json.getOriginalMessage()
                                : e.getMessage());
            }
        }
        return networks;
    }
}
