package org.unicon.store.docker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.unicon.layers.Digest;
import org.unicon.model.ImageRuntimeConfig;

/**
 * A local directory of image archives, the offline {@code docker_registry} (Mesos's "local
 * puller"). An image {@code NAME:TAG} is the file {@code NAME:TAG.tar} with NAME as written in
 * the reference ({@code busybox:latest.tar}, {@code probe/busybox:1.0.tar} in a subdirectory
 * {@code probe/}); failing that, with Docker's full name ({@code library/busybox:latest.tar}).
 * A digest reference {@code NAME@sha256:HEX} is the file {@code NAME@sha256:HEX.tar}, and the
 * archive's image must have that digest. Inside, three layouts are read, in this order:
 * {@code manifest.json} (docker save), {@code index.json} (OCI archive, blobs verified by
 * digest), and the legacy {@code repositories} + per-layer {@code json} (parent chain).
 * Every layer is verified against the config's diff_ids where the layout has a config.
 */
final class ArchiveDirectory implements ImageSource {
    private static final Pattern BLOB_PATH = Pattern.compile("blobs/(sha256|sha512)/([0-9a-f]+)");
    private static final Pattern LEGACY_ID = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_LEGACY_LAYERS = 1000;

    private final Path dir;

    ArchiveDirectory(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    @Override
    public Resolution resolve(ImageReference ref, RegistryCredentials credentials, String image) throws IOException {
        String suffix = ref.tag() != null ? ":" + ref.tag() : "@" + ref.digest();
        Set<String> names = new LinkedHashSet<>();
        names.add(ref.givenRepository() + suffix + ".tar");
        names.add(ref.repository() + suffix + ".tar");
        Path found = null;
        for (String n : names) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                found = p;
                break;
            }
        }
        if (found == null) {
            throw new PullException("image '" + image + "' not found in local registry directory " + dir
                    + " (looked for " + String.join(", ", names) + ")");
        }
        Path file = found;
        return new Resolution() {
            private SaveArchive archive;

            @Override
            public Optional<Digest> digest() {
                return Optional.empty();
            }

            @Override
            public ResolvedImage load() throws IOException {
                archive = SaveArchive.open(file);
                ResolvedImage r = read(archive, ref, image);
                if (ref.digest() != null && !ref.digest().equals(r.digest())) {
                    throw new PullException("archive " + file + " holds image " + r.digest() + ", not " + ref.digest());
                }
                return r;
            }

            @Override
            public void close() throws IOException {
                if (archive != null) {
                    archive.close();
                }
            }
        };
    }

    private static ResolvedImage read(SaveArchive a, ImageReference ref, String image) throws IOException {
        if (a.exists("manifest.json")) {
            return dockerSave(a, ref, image);
        }
        if (a.exists("index.json")) {
            return oci(a, ref, image);
        }
        if (a.exists("repositories")) {
            return legacy(a, ref, image);
        }
        throw new PullException("archive " + a.file() + " is neither a docker save archive (manifest.json or repositories)"
                + " nor an OCI archive (index.json)");
    }

    /** docker save: [{"Config": "x.json", "RepoTags": [...], "Layers": ["id/layer.tar", ...]}]. */
    private static ResolvedImage dockerSave(SaveArchive a, ImageReference ref, String image) throws IOException {
        String what = "manifest.json in archive " + a.file();
        JsonElement doc = Json.parse(a.readJson("manifest.json"), what);
        if (!doc.isJsonArray() || doc.getAsJsonArray().isEmpty()) {
            throw new PullException(what + " is not a non-empty JSON array");
        }
        List<JsonObject> entries = new ArrayList<>();
        for (JsonElement e : doc.getAsJsonArray()) {
            if (!e.isJsonObject()) {
                throw new PullException(what + " holds something other than objects");
            }
            entries.add(e.getAsJsonObject());
        }
        JsonObject chosen = entries.size() == 1 ? entries.get(0) : null;
        List<String> offered = new ArrayList<>();
        for (JsonObject e : entries) {
            List<String> tags = Json.strings(e, "RepoTags", what);
            for (String t : tags == null ? List.<String>of() : tags) {
                offered.add(Descriptor.printable(t));
                if (sameImage(t, ref)) {
                    chosen = e;
                }
            }
        }
        if (chosen == null) {
            throw new PullException("archive " + a.file() + " holds no image tagged '" + image + "' (it has "
                    + String.join(", ", offered) + ")");
        }
        String configPath = Json.string(chosen, "Config", what);
        List<String> layerPaths = Json.strings(chosen, "Layers", what);
        if (configPath == null || layerPaths == null) {
            throw new PullException(what + ": the image entry has no Config or no Layers");
        }
        byte[] configBytes = a.readJson(configPath);
        ImageConfig config = ImageConfig.parse(configBytes, "config " + configPath + " in archive " + a.file());
        if (config.diffIds().size() != layerPaths.size()) {
            throw new PullException("archive " + a.file() + " is inconsistent: " + layerPaths.size()
                    + " layers but " + config.diffIds().size() + " diff_ids in the config");
        }
        List<LayerSource> layers = new ArrayList<>();
        for (int i = 0; i < layerPaths.size(); i++) {
            String path = layerPaths.get(i);
            Matcher m = BLOB_PATH.matcher(path);
            Digest blob = m.matches() ? digestOrNull(m.group(1) + ":" + m.group(2)) : null;
            layers.add(layer(a, path, config.diffIds().get(i), blob, config.diffIds().get(i).toString()));
        }
        return new ResolvedImage(RegistryClient.sha256(configBytes), config.runtime(), layers);
    }

    /** OCI image layout in a tar: index.json → (index →) manifest → config + layer blobs, all verified. */
    private static ResolvedImage oci(SaveArchive a, ImageReference ref, String image) throws IOException {
        Manifest top = Manifest.parse(a.readJson("index.json"), null, "index.json in archive " + a.file());
        if (!(top instanceof Manifest.Index index)) {
            throw new PullException("index.json in archive " + a.file() + " is not an image index");
        }
        Descriptor chosen = index.manifests().size() == 1 ? index.manifests().get(0) : null;
        List<String> offered = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
            String refName = d.annotation("org.opencontainers.image.ref.name");
            String fullName = d.annotation("io.containerd.image.name");
            if (refName != null) {
                offered.add(Descriptor.printable(refName));
            }
            if ((refName != null && (refName.equals(ref.tag()) || sameImage(refName, ref)))
                    || (fullName != null && sameImage(fullName, ref))) {
                chosen = d;
            }
        }
        if (chosen == null) {
            throw new PullException("archive " + a.file() + " holds no image named '" + ref.tag() + "' (it has "
                    + String.join(", ", offered) + ")");
        }
        Digest digest = chosen.digest();
        Manifest m = Manifest.parse(blob(a, chosen, image), chosen.mediaType(), "manifest " + digest + " in archive " + a.file());
        if (m instanceof Manifest.Index list) {
            Descriptor one = PlatformSelection.select(list, image);
            m = Manifest.parse(blob(a, one, image), one.mediaType(), "manifest " + one.digest() + " in archive " + a.file());
            if (!(m instanceof Manifest.Image)) {
                throw new PullException("archive " + a.file() + ": the index entry for linux/amd64 is itself an index");
            }
        }
        Manifest.Image manifest = (Manifest.Image) m;
        ImageConfig config = ImageConfig.parse(blob(a, manifest.config(), image), "config of image '" + image + "'");
        if (config.diffIds().size() != manifest.layers().size()) {
            throw new PullException("archive " + a.file() + " is inconsistent: " + manifest.layers().size()
                    + " layers but " + config.diffIds().size() + " diff_ids in the config");
        }
        List<LayerSource> layers = new ArrayList<>();
        for (int i = 0; i < manifest.layers().size(); i++) {
            Descriptor d = manifest.layers().get(i);
            layers.add(layer(a, blobPath(d.digest()), config.diffIds().get(i), d.digest(), d.digest().toString()));
        }
        return new ResolvedImage(digest, config.runtime(), layers);
    }

    /** Legacy docker save: repositories {"repo": {"tag": "<id>"}}, each id/json naming its parent. */
    private static ResolvedImage legacy(SaveArchive a, ImageReference ref, String image) throws IOException {
        String what = "repositories in archive " + a.file();
        JsonObject repos = Json.object(a.readJson("repositories"), what);
        String top = null;
        String only = null;
        List<String> offered = new ArrayList<>();
        for (Map.Entry<String, JsonElement> repo : repos.entrySet()) {
            if (!repo.getValue().isJsonObject()) {
                continue;
            }
            for (Map.Entry<String, JsonElement> tag : repo.getValue().getAsJsonObject().entrySet()) {
                if (!tag.getValue().isJsonPrimitive()) {
                    continue;
                }
                String name = repo.getKey() + ":" + tag.getKey();
                offered.add(Descriptor.printable(name));
                only = tag.getValue().getAsString();
                if (sameImage(name, ref)) {
                    top = only;
                }
            }
        }
        if (top == null && offered.size() == 1) {
            top = only;
        }
        if (top == null) {
            throw new PullException("archive " + a.file() + " holds no image tagged '" + image + "' (it has "
                    + String.join(", ", offered) + ")");
        }
        List<String> ids = new ArrayList<>();
        ImageRuntimeConfig runtime = null;
        byte[] topJson = null;
        for (String id = top; id != null && !id.isEmpty(); ) {
            if (!LEGACY_ID.matcher(id).matches()) {
                throw new PullException("archive " + a.file() + ": '" + Descriptor.printable(id) + "' is not a layer ID");
            }
            if (ids.contains(id) || ids.size() >= MAX_LEGACY_LAYERS) {
                throw new PullException("archive " + a.file() + ": the parent chain of layer " + top + " loops or is too long");
            }
            ids.add(id);
            byte[] json = a.readJson(id + "/json");
            JsonObject o = Json.object(json, id + "/json in archive " + a.file());
            if (runtime == null) {
                topJson = json;
                runtime = ImageConfig.runtime(Json.objectMember(o, "config", id + "/json"), id + "/json");
            }
            id = Json.string(o, "parent", id + "/json");
        }
        List<LayerSource> layers = new ArrayList<>();
        for (int i = ids.size() - 1; i >= 0; i--) {
            layers.add(layer(a, ids.get(i) + "/layer.tar", null, null, ids.get(i)));
        }
        return new ResolvedImage(RegistryClient.sha256(topJson), runtime, layers);
    }

    private static LayerSource layer(SaveArchive a, String path, Digest diffId, Digest blob, String id)
            throws PullException {
        long size = a.size(path);
        return new LayerSource() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public Digest diffId() {
                return diffId;
            }

            @Override
            public InputStream open(LongConsumer progress) throws IOException {
                InputStream in = a.open(path);
                String what = "layer " + path + " in archive " + a.file();
                if (blob != null) {
                    return new VerifyingInputStream(in, blob, size, what, progress);
                }
                return new java.io.FilterInputStream(in) {
                    private long count;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n > 0) {
                            count += n;
                            org.unicon.hostfs.CrashPoint.reached(org.unicon.hostfs.CrashPoint.MID_PULL, count);
                            progress.accept(count);
                        }
                        return n;
                    }
                };
            }
        };
    }

    private static byte[] blob(SaveArchive a, Descriptor d, String image) throws IOException {
        String path = blobPath(d.digest());
        if (d.size() > Json.MAX_DOCUMENT) {
            throw new PullException("blob " + d.digest() + " in archive " + a.file() + " is larger than the "
                    + Json.MAX_DOCUMENT + "-byte limit");
        }
        try (VerifyingInputStream in = new VerifyingInputStream(a.open(path), d.digest(), d.size(),
                "blob " + d.digest() + " of image '" + image + "' in archive " + a.file(), n -> { })) {
            byte[] bytes = in.readAllBytes();
            in.drainAndVerify();
            return bytes;
        }
    }

    private static String blobPath(Digest d) {
        return "blobs/" + d.algorithm() + "/" + d.hex();
    }

    private static boolean sameImage(String name, ImageReference ref) {
        try {
            return ImageReference.parse(name).name().equals(ref.name());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Digest digestOrNull(String s) {
        try {
            return Digest.parse(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
