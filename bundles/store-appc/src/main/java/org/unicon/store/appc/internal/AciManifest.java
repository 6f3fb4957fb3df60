package org.unicon.store.appc.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.unicon.model.ImageRuntimeConfig;

/**
 * The parts of an appc image manifest (appc spec 0.8, {@code acKind: ImageManifest}) the store
 * and appc/runtime use: name, labels, {@code app} and {@code dependencies}. Everything else
 * (annotations, isolators, ports, mount points, event handlers) is ignored, as in Mesos; so is
 * {@code pathWhitelist}, which is logged.
 */
record AciManifest(String name, Map<String, String> labels, Optional<App> app, List<AppcReference> dependencies,
                   boolean hasPathWhitelist) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The {@code app} section: what to run and how. */
    record App(List<String> exec, String user, String group, Map<String, String> environment,
               String workingDirectory) {}

    /** A manifest that is not valid JSON or breaks the spec; {@code where} names the ACI. */
    static final class MalformedException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedException(String where, String problem) {
            super("malformed manifest in " + where + ": " + problem);
        }
    }

    static AciManifest parse(byte[] bytes, String where) throws MalformedException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new MalformedException(where, "not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new MalformedException(where, "not JSON (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedException(where, "not a JSON object");
        }
        Fields f = new Fields(where);
        String kind = f.string(root, "acKind", true);
        if (!kind.equals("ImageManifest")) {
            throw new MalformedException(where, "acKind is '" + kind + "', not 'ImageManifest'");
        }
        f.string(root, "acVersion", true);
        String name = f.string(root, "name", true);
        if (!AppcReference.AC_IDENTIFIER.matcher(name).matches()) {
            throw new MalformedException(where, "name '" + name + "' is not an AC identifier");
        }
        Map<String, String> labels = f.labels(root.get("labels"), "labels");
        Optional<App> app = Optional.empty();
        JsonNode a = root.get("app");
        if (a != null && !a.isNull()) {
            f.require(a.isObject(), "app is not an object");
            app = Optional.of(app(a, f));
        }
        List<AppcReference> dependencies = new ArrayList<>();
        JsonNode deps = root.get("dependencies");
        if (deps != null && !deps.isNull()) {
            f.require(deps.isArray(), "dependencies is not an array");
            for (int i = 0; i < deps.size(); i++) {
                dependencies.add(dependency(deps.get(i), "dependencies[" + i + "]", f));
            }
        }
        JsonNode whitelist = root.get("pathWhitelist");
        boolean hasWhitelist = whitelist != null && whitelist.isArray() && !whitelist.isEmpty();
        return new AciManifest(name, labels, app, List.copyOf(dependencies), hasWhitelist);
    }

    private static App app(JsonNode a, Fields f) throws MalformedException {
        List<String> exec = new ArrayList<>();
        JsonNode e = a.get("exec");
        if (e != null && !e.isNull()) {
            f.require(e.isArray(), "app.exec is not an array");
            for (JsonNode arg : e) {
                f.require(arg.isTextual(), "app.exec holds a value that is not a string");
                exec.add(arg.asText());
            }
            f.require(exec.isEmpty() || exec.get(0).startsWith("/"), "app.exec[0] '"
                    + (exec.isEmpty() ? "" : exec.get(0)) + "' is not an absolute path");
        }
        String user = f.string(a, "user", true);
        String group = f.string(a, "group", true);
        f.require(!user.isEmpty() && !group.isEmpty(), "app.user and app.group must not be empty");
        Map<String, String> environment = new LinkedHashMap<>();
        JsonNode env = a.get("environment");
        if (env != null && !env.isNull()) {
            f.require(env.isArray(), "app.environment is not an array");
            for (JsonNode variable : env) {
                String n = f.string(variable, "name", true);
                f.require(!n.isEmpty() && n.indexOf('=') < 0 && n.indexOf('\0') < 0,
                        "app.environment has the name '" + n + "' (empty, or with '=' or NUL)");
                f.require(environment.put(n, f.string(variable, "value", true)) == null,
                        "app.environment sets '" + n + "' twice");
            }
        }
        String workingDirectory = f.string(a, "workingDirectory", false);
        f.require(workingDirectory.isEmpty() || workingDirectory.startsWith("/"),
                "app.workingDirectory '" + workingDirectory + "' is not an absolute path");
        return new App(List.copyOf(exec), user, group, environment, workingDirectory);
    }

    private static AppcReference dependency(JsonNode d, String path, Fields f) throws MalformedException {
        f.require(d.isObject(), path + " is not an object");
        String name = f.string(d, "imageName", true);
        String id = f.string(d, "imageID", false);
        Map<String, String> labels = f.labels(d.get("labels"), path + ".labels");
        try {
            return AppcReference.of(name, labels, id.isEmpty() ? Optional.empty() : Optional.of(id));
        } catch (IllegalArgumentException e) {
            throw new MalformedException(f.where, path + ": " + e.getMessage());
        }
    }

    /**
     * Why this manifest is not the image {@code wanted} asked for, or empty: the name must be
     * the same; every label given explicitly must be in the manifest with the same value, except
     * {@code version=latest}, which any version satisfies, and {@code os}/{@code arch}, which a
     * manifest without them satisfies (an image for any platform).
     */
    Optional<String> mismatch(AppcReference wanted) {
        if (!name.equals(wanted.name())) {
            return Optional.of("it is named '" + name + "', not '" + wanted.name() + "'");
        }
        for (Map.Entry<String, String> label : wanted.labels().entrySet()) {
            String key = label.getKey();
            String have = labels.get(key);
            if (key.equals("version") && label.getValue().equals("latest")) {
                continue;
            }
            if (have == null && (key.equals("os") || key.equals("arch"))) {
                continue;
            }
            if (have == null) {
                return Optional.of("label mismatch: it has no label '" + key + "', but " + key + "="
                        + label.getValue() + " was asked for");
            }
            if (!have.equals(label.getValue())) {
                return Optional.of("label mismatch: it has " + key + "=" + have + ", but " + key + "="
                        + label.getValue() + " was asked for");
            }
        }
        return Optional.empty();
    }

    /**
     * The {@code app} as the store hands it to the core, normalised like a Docker config so that
     * runtime isolators apply it the same way: exec is Cmd (no Entrypoint), so that arguments
     * given with the command replace exec's own; environment as NAME=value; workingDirectory;
     * user as {@code user:group}.
     */
    ImageRuntimeConfig runtimeConfig() {
        ImageRuntimeConfig.Builder config = ImageRuntimeConfig.newBuilder();
        app.ifPresent(a -> {
            config.addAllCmd(a.exec());
            a.environment().forEach((n, v) -> config.addEnv(n + "=" + v));
            if (!a.workingDirectory().isEmpty()) {
                config.setWorkingDir(a.workingDirectory());
            }
            config.setUser(a.user() + ":" + a.group());
        });
        return config.build();
    }

    /** Reads members, each failure a {@link MalformedException} naming the ACI and the member. */
    private record Fields(String where) {
        String string(JsonNode node, String member, boolean required) throws MalformedException {
            JsonNode value = node.get(member);
            if (value == null || value.isNull()) {
                require(!required, member + " is missing");
                return "";
            }
            require(value.isTextual(), member + " is not a string");
            return value.asText();
        }

        Map<String, String> labels(JsonNode node, String path) throws MalformedException {
            Map<String, String> labels = new LinkedHashMap<>();
            if (node == null || node.isNull()) {
                return labels;
            }
            require(node.isArray(), path + " is not an array");
            for (JsonNode label : node) {
                require(label.isObject(), path + " holds a value that is not an object");
                String n = string(label, "name", true);
                require(!n.isEmpty(), path + " has a label without a name");
                require(labels.put(n, string(label, "value", true)) == null, path + " has '" + n + "' twice");
            }
            return labels;
        }

        void require(boolean condition, String problem) throws MalformedException {
            if (!condition) {
                throw new MalformedException(where, problem);
            }
        }
    }
}
