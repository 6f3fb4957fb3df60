package org.unicon.store.appc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds real ACIs with {@code actool build} (Debian's appc-spec) from an image layout: a
 * manifest and a rootfs made of busybox-static's {@code /bin/busybox} with one link per applet,
 * as bin/lib/busybox-image makes the Docker test image.
 */
final class AciBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final ObjectNode app = JSON.createObjectNode();
    private final ArrayNode dependencies = JSON.createArrayNode();
    private final Map<String, String> files = new LinkedHashMap<>();
    private boolean busybox = true;
    private boolean hasApp;

    private AciBuilder(String name, String version) {
        this.name = name;
        labels.put("version", version);
        labels.put("os", "linux");
        labels.put("arch", "amd64");
        app.put("user", "0").put("group", "0");
    }

    /** An image of busybox named {@code name}, labelled version, os=linux and arch=amd64. */
    static AciBuilder image(String name, String version) {
        return new AciBuilder(name, version);
    }

    AciBuilder exec(String... argv) {
        hasApp = true;
        ArrayNode exec = app.putArray("exec");
        List.of(argv).forEach(exec::add);
        return this;
    }

    AciBuilder env(String variable, String value) {
        hasApp = true;
        ArrayNode env = app.has("environment") ? (ArrayNode) app.get("environment") : app.putArray("environment");
        env.addObject().put("name", variable).put("value", value);
        return this;
    }

    AciBuilder workingDirectory(String dir) {
        hasApp = true;
        app.put("workingDirectory", dir);
        return this;
    }

    AciBuilder user(String user, String group) {
        hasApp = true;
        app.put("user", user).put("group", group);
        return this;
    }

    AciBuilder label(String key, String value) {
        labels.put(key, value);
        return this;
    }

    /** A dependency on {@code image} with {@code labels} (name, value pairs), and its ID when given. */
    AciBuilder dependsOn(String image, String id, String... labelPairs) {
        ObjectNode d = dependencies.addObject().put("imageName", image);
        if (id != null) {
            d.put("imageID", id);
        }
        ArrayNode l = d.putArray("labels");
        for (int i = 0; i < labelPairs.length; i += 2) {
            l.addObject().put("name", labelPairs[i]).put("value", labelPairs[i + 1]);
        }
        return this;
    }

    /** A file in the rootfs (path relative to it). */
    AciBuilder file(String path, String content) {
        files.put(path, content);
        return this;
    }

    /** Only the files given, no busybox (for images that only add to a dependency). */
    AciBuilder withoutBusybox() {
        busybox = false;
        return this;
    }

    String manifest() {
        ObjectNode m = JSON.createObjectNode().put("acKind", "ImageManifest").put("acVersion", "0.8.11")
                .put("name", name);
        ArrayNode l = m.putArray("labels");
        labels.forEach((k, v) -> l.addObject().put("name", k).put("value", v));
        if (hasApp) {
            m.set("app", app);
        }
        if (!dependencies.isEmpty()) {
            m.set("dependencies", dependencies);
        }
        return m.toString();
    }

    /** Builds the ACI where simple discovery below {@code prefixDir} finds it, and returns it. */
    Path build(Path prefixDir) throws IOException, InterruptedException {
        Path aci = prefixDir.resolve(name + "-" + labels.get("version") + "-" + labels.get("os") + "-"
                + labels.get("arch") + ".aci");
        Files.createDirectories(aci.getParent());
        Path layout = Files.createTempDirectory(prefixDir, "layout");
        try {
            Path rootfs = Files.createDirectories(layout.resolve("rootfs"));
            if (busybox) {
                busyboxRootfs(rootfs);
            }
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = rootfs.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
            }
            Files.writeString(layout.resolve("manifest"), manifest());
            run("actool", "build", "--overwrite", "--owner-root", layout.toString(), aci.toString());
        } finally {
            run("rm", "-rf", layout.toString());
        }
        return aci;
    }

    /** The appc image ID of an ACI: sha512 of its uncompressed tar, computed apart from the store. */
    static String imageId(Path aci) throws IOException {
        try (InputStream in = new DigestInputStream(new GZIPInputStream(Files.newInputStream(aci)),
                sha512())) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return "sha512-" + HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** bin/busybox + a link per applet + /etc/passwd and /etc/group, like bin/lib/busybox-image. */
    static void busyboxRootfs(Path root) throws IOException, InterruptedException {
        for (String dir : List.of("bin", "etc", "proc", "sys", "dev", "tmp", "root", "var")) {
            Files.createDirectories(root.resolve(dir));
        }
        run("chmod", "1777", root.resolve("tmp").toString());
        run("cp", "/bin/busybox", root.resolve("bin/busybox").toString());
        List<String> applets = new ArrayList<>(run("/bin/busybox", "--list").lines().toList());
        for (String applet : applets) {
            Path link = root.resolve("bin").resolve(applet);
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, Path.of("busybox"));
            }
        }
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                + "nobody:x:65534:65534:nobody:/:/bin/false\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\nnobody:x:65534:\n");
    }

    /** Runs a command, fails with its output unless it exits 0, returns its output. */
    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }
}
