package org.unicon.launcher.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What recovery needs to reattach to a container, in {@code <launcher dir>/monitor.json}: the
 * runtime that created it and the binary that controls it (so a later change of the {@code runtime}
 * setting does not strand it)
 * and conmon's pid with its start time (to tell conmon from a later process with the same pid).
 * Written before conmon starts (pids 0) and again once the container exists.
 */
record MonitorRecord(RuntimeCli runtime, long conmonPid, long conmonStartTime, long containerPid) {

    static final String FILE = "monitor.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    void write(Path directory) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("runtime", runtime.name());
        n.put("runtime_path", runtime.executable().toString());
        n.put("runtime_control_path", runtime.control().toString());
        n.put("runtime_root", runtime.root().toString());
        n.put("conmon_pid", conmonPid);
        n.put("conmon_start_time", conmonStartTime);
        n.put("container_pid", containerPid);
        Path tmp = directory.resolve(FILE + ".tmp");
        JSON.writeValue(tmp.toFile(), n);
        Files.move(tmp, directory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static Optional<MonitorRecord> read(String containerId, Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(file));
            String path = n.path("runtime_path").asText("");
            String root = n.path("runtime_root").asText("");
            if (path.isEmpty() || root.isEmpty()) {
                throw new IOException("the monitor record " + file + " of container '" + containerId
                        + "' names no runtime");
            }
            // Records written before runtime_control_path existed: every command went through runtime_path.
            String control = n.path("runtime_control_path").asText(path);
            return Optional.of(new MonitorRecord(new RuntimeCli(n.path("runtime").asText("runc"), Path.of(path),
                    Path.of(root), Path.of(control)), n.path("conmon_pid").asLong(), n.path("conmon_start_time").asLong(),
                    n.path("container_pid").asLong()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("the monitor record " + file + " of container '" + containerId + "' is corrupt: "
                    + e.getOriginalMessage(), e);
        }
    }
}
