package org.unicon.store.docker.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.unicon.layers.Digest;

/**
 * Builds small test images in memory (gzip tar layers, config with diff_ids, Docker schema 2
 * or OCI manifest, manifest lists / OCI indexes), writes them as OCI layouts for skopeo, and
 * pushes them to a registry with the distribution API (for lists, which skopeo cannot build).
 */
final class ImageBuilder {
    /** An image: its manifest and every blob it needs (config and layers). */
    record Built(String mediaType, byte[] manifest, Map<Digest, byte[]> blobs, List<Digest> layers) {
        Digest digest() {
            return RegistryClient.sha256(manifest);
        }
    }

    private ImageBuilder() {}

    /** A layer: each key a path (a trailing / for a directory), each value the file's bytes. */
    static byte[] layer(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : new TreeMap<>(files).entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                if (!e.getKey().endsWith("/")) {
                    entry.setSize(e.getValue().length);
                    entry.setMode(0644);
                } else {
                    entry.setMode(040755);
                }
                entry.setModTime(0);
                out.putArchiveEntry(entry);
                if (!e.getKey().endsWith("/")) {
                    out.write(e.getValue());
                }
                out.closeArchiveEntry();
            }
        }
        return tar.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static Built image(boolean docker, String architecture, List<byte[]> tarLayers, List<String> cmd) throws IOException {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        JsonArray diffIds = new JsonArray();
        JsonArray layerDescriptors = new JsonArray();
        List<Digest> layerDigests = new ArrayList<>();
        for (byte[] tar : tarLayers) {
            diffIds.add(RegistryClient.sha256(tar).toString());
            byte[] gz = gzip(tar);
            Digest d = RegistryClient.sha256(gz);
            blobs.put(d, gz);
            layerDigests.add(d);
            layerDescriptors.add(descriptor(docker ? "application/vnd.docker.image.rootfs.diff.tar.gzip"
                    : "application/vnd.oci.image.layer.v1.tar+gzip", d, gz.length));
        }
        JsonObject config = new JsonObject();
        config.addProperty("architecture", architecture);
        config.addProperty("os", "linux");
        JsonObject run = new JsonObject();
        JsonArray c = new JsonArray();
        cmd.forEach(c::add);
        run.add("Cmd", c);
        JsonArray env = new JsonArray();
        env.add("PATH=/bin");
        run.add("Env", env);
        run.addProperty("WorkingDir", "/work");
        run.addProperty("User", "1000:1000");
        config.add("config", run);
        JsonObject rootfs = new JsonObject();
        rootfs.addProperty("type", "layers");
        rootfs.add("diff_ids", diffIds);
        config.add("rootfs", rootfs);
        byte[] configBytes = config.toString().getBytes(StandardCharsets.UTF_8);
        Digest configDigest = RegistryClient.sha256(configBytes);
        blobs.put(configDigest, configBytes);
        String type = docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST;
        JsonObject m = new JsonObject();
        m.addProperty("schemaVersion", 2);
        m.addProperty("mediaType", type);
        m.add("config", descriptor(docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG, configDigest,
                configBytes.length));
        m.add("layers", layerDescriptors);
        return new Built(type, m.toString().getBytes(StandardCharsets.UTF_8), blobs, layerDigests);
    }

    /** An index / manifest list over {@code images}, with the platforms given as os/arch[/variant]. */
    static byte[] index(boolean docker, List<Built> images, List<String> platforms) {
        JsonObject o = new JsonObject();
        o.addProperty("schemaVersion", 2);
        o.addProperty("mediaType", docker ? MediaTypes.DOCKER_LIST : MediaTypes.OCI_INDEX);
        JsonArray ms = new JsonArray();
        for (int i = 0; i < images.size(); i++) {
            Built b = images.get(i);
            JsonObject d = descriptor(b.mediaType(), b.digest(), b.manifest().length);
            String[] p = platforms.get(i).split("/");
            JsonObject platform = new JsonObject();
            platform.addProperty("os", p[0]);
            platform.addProperty("architecture", p[1]);
            if (p.length > 2) {
                platform.addProperty("variant", p[2]);
            }
            d.add("platform", platform);
            ms.add(d);
        }
        o.add("manifests", ms);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    static JsonObject descriptor(String mediaType, Digest d, long size) {
        JsonObject o = new JsonObject();
        o.addProperty("mediaType", mediaType);
        o.addProperty("digest", d.toString());
        o.addProperty("size", size);
        return o;
    }

    /** Writes {@code b} as an OCI image layout with {@code tag} in index.json (what skopeo's oci: reads). */
    static void writeLayout(Path dir, String tag, Built b) throws IOException {
        Path blobs = dir.resolve("blobs/sha256");
        Files.createDirectories(blobs);
        for (Map.Entry<Digest, byte[]> e : b.blobs().entrySet()) {
            Files.write(blobs.resolve(e.getKey().hex()), e.getValue());
        }
        Files.write(blobs.resolve(b.digest().hex()), b.manifest());
        JsonObject d = descriptor(b.mediaType(), b.digest(), b.manifest().length);
        JsonObject annotations = new JsonObject();
        annotations.addProperty("org.opencontainers.image.ref.name", tag);
        d.add("annotations", annotations);
        JsonObject index = new JsonObject();
        index.addProperty("schemaVersion", 2);
        JsonArray ms = new JsonArray();
        ms.add(d);
        index.add("manifests", ms);
        Files.writeString(dir.resolve("index.json"), index.toString());
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    /** Pushes blobs and the manifest (by {@code reference}: a tag or its digest) to an open registry. */
    static void push(URI registry, String repository, String reference, Built b) throws IOException, InterruptedException {
        for (Map.Entry<Digest, byte[]> e : b.blobs().entrySet()) {
            pushBlob(registry, repository, e.getKey(), e.getValue());
        }
        pushManifest(registry, repository, reference, b.mediaType(), b.manifest());
    }

    static void pushBlob(URI registry, String repository, Digest d, byte[] data) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> start = http.send(HttpRequest.newBuilder(registry.resolve("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (start.statusCode() != 202) {
            throw new IOException("upload start answered " + start.statusCode() + ": " + start.body());
        }
        String location = start.headers().firstValue("Location").orElseThrow();
        URI put = registry.resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + d);
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(put).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        if (done.statusCode() != 201) {
            throw new IOException("blob upload answered " + done.statusCode() + ": " + done.body());
        }
    }

    static void pushManifest(URI registry, String repository, String reference, String mediaType, byte[] manifest)
            throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(registry.resolve("/v2/" + repository + "/manifests/" + reference))
                        .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IOException("manifest push answered " + r.statusCode() + ": " + r.body());
        }
    }
}
