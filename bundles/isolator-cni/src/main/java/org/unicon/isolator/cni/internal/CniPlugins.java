package org.unicon.isolator.cni.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs CNI plugins as the CNI specification says: the plugin executable found in the plugin
 * directories, the parameters in {@code CNI_*} environment variables, the configuration as JSON
 * on stdin, the result (or an error object) as JSON on stdout, a zero exit code for success.
 * Plugins run with the agent's network namespace as "the host" and reach the container through
 * {@code CNI_NETNS}.
 */
final class CniPlugins {
    /** How long a plugin may take before it is killed and its call fails. */
    private static final long TIMEOUT_SECONDS = 120;
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one call is about: the verb and the CNI parameters other than the configuration. */
    record Call(String command, String containerId, Optional<Path> netns, String ifname, String args) {}

    /** A plugin that failed; the message names the plugin, the verb and what it said. */
    static final class PluginException extends IOException {
        private static final long serialVersionUID = 1L;

        PluginException(String message) {
            super(message);
        }
    }

    private final List<Path> dirs;

    /** @param searchPath {@code network_cni_plugins_dir}: directories separated by ':' */
    CniPlugins(String searchPath) {
        List<Path> found = new ArrayList<>();
        for (String dir : searchPath.split(":")) {
            if (!dir.isBlank()) {
                found.add(Path.of(dir.strip()));
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("network_cni_plugins_dir is empty; name the directory of the CNI"
                    + " plugins, e.g. /usr/lib/cni");
        }
        this.dirs = List.copyOf(found);
    }

    String searchPath() {
        return String.join(":", dirs.stream().map(Path::toString).toList());
    }

    /** The executable of plugin {@code type}, the first found in the plugin directories. */
    Optional<Path> find(String type) {
        for (Path dir : dirs) {
            Path candidate = dir.resolve(type);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The executable of plugin {@code type}, or an error naming the network, the plugin and where it looked. */
    Path require(String type, String network) throws PluginException {
        return find(type).orElseThrow(() -> new PluginException("network '" + network + "': plugin '" + type
                + "' was not found in " + searchPath() + " (network_cni_plugins_dir; Debian's plugins come with"
                + " the package containernetworking-plugins)"));
    }

    /**
     * Runs one plugin and returns what it printed, parsed (an empty object when it printed
     * nothing, as DEL and CHECK do).
     *
     * @param network the network's name, for messages
     * @param config the plugin's configuration as the spec derives it for this call
     */
    JsonNode run(String network, Call call, ObjectNode config) throws IOException {
        String type = config.path("type").asText();
        Path executable = require(type, network);
        ProcessBuilder builder = new ProcessBuilder(executable.toString());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("CNI_COMMAND", call.command());
        env.put("CNI_CONTAINERID", call.containerId());
        call.netns().ifPresent(ns -> env.put("CNI_NETNS", ns.toString()));
        env.put("CNI_IFNAME", call.ifname());
        env.put("CNI_ARGS", call.args());
        env.put("CNI_PATH", searchPath());
        String path = System.getenv("PATH");
        env.put("PATH", path == null || path.isBlank() ? DEFAULT_PATH : path + ":" + DEFAULT_PATH);
        builder.redirectErrorStream(false);
        Process process = builder.start();
        CompletableFuture<byte[]> stdout = drain(process.getInputStream());
        CompletableFuture<byte[]> stderr = drain(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(config));
        } catch (IOException e) {
            // A plugin may exit without reading its configuration; its exit code says what happened.
        }
        String what = "network '" + network + "': plugin '" + type + "' (" + call.command() + " " + call.ifname() + ")";
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new PluginException(what + " did not finish within " + TIMEOUT_SECONDS + " s and was killed");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PluginException(what + " was interrupted");
        }
        String out = new String(stdout.join(), StandardCharsets.UTF_8).strip();
        String err = new String(stderr.join(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            throw new PluginException(what + " failed: " + describeError(out, err, process.exitValue()));
        }
        if (out.isEmpty()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new PluginException(what + " printed something that is not JSON: " + abbreviate(out));
        }
    }

    /** The spec's error object ({@code code}, {@code msg}, {@code details}), else what the plugin printed. */
    static String describeError(String out, String err, int exitCode) {
        try {
            JsonNode error = out.isEmpty() ? null : JSON.readTree(out);
            if (error != null && error.hasNonNull("msg")) {
                String details = error.path("details").asText("");
                return error.get("msg").asText() + (details.isEmpty() ? "" : " (" + details + ")")
                        + " [CNI error code " + error.path("code").asText("?") + "]";
            }
        } catch (IOException e) {
            // not JSON: reported as text below
        }
        String said = !err.isEmpty() ? err : out;
        return "exit code " + exitCode + (said.isEmpty() ? "" : ": " + abbreviate(said));
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() > 500 ? oneLine.substring(0, 497) + "..." : oneLine;
    }

    /** Reads a stream to its end on a thread of its own (the common pool may have a single thread). */
    private static CompletableFuture<byte[]> drain(InputStream stream) {
        CompletableFuture<byte[]> bytes = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (InputStream in = stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                in.transferTo(buffer);
                bytes.complete(buffer.toByteArray());
            } catch (IOException e) {
                bytes.completeExceptionally(new UncheckedIOException(e));
            }
        }, "cni-plugin-output");
        reader.setDaemon(true);
        reader.start();
        return bytes;
    }
}
