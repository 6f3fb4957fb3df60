package org.unicon.store.docker.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.unicon.layers.Digest;
import org.unicon.model.ImageRuntimeConfig;

/**
 * The image records under {@code images/}: one JSON file per reference, written atomically
 * (temporary file, fsync, rename, fsync of the directory) after all its layers are committed,
 * so a record never points at a layer that is not there. A record that cannot be read is
 * treated as absent (the image is pulled again) and logged.
 */
final class ImageRecords {
    private static final System.Logger LOG = System.getLogger(ImageRecords.class.getName());
    private static final String TEMP_SUFFIX = ".tmp";

    /** What the store knows of one image. Layers are DiffIDs, base first. */
    record ImageRecord(String name, Digest digest, List<Digest> layers, ImageRuntimeConfig runtime, long pulledMillis) {}

    private final StoreLayout layout;

    ImageRecords(StoreLayout layout) {
        this.layout = layout;
    }

    ImageRecord read(String name) {
        ImageRecord r = read(layout.record(name));
        return r != null && r.name().equals(name) ? r : null;
    }

    List<ImageRecord> all() throws IOException {
        List<ImageRecord> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.images(), "*.json")) {
            for (Path p : ds) {
                ImageRecord r = read(p);
                if (r != null) {
                    out.add(r);
                }
            }
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    void write(ImageRecord r) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("name", r.name());
        o.addProperty("digest", r.digest().toString());
        JsonArray layers = new JsonArray();
        r.layers().forEach(l -> layers.add(l.toString()));
        o.add("layers", layers);
        JsonObject rt = new JsonObject();
        rt.add("entrypoint", strings(r.runtime().getEntrypointList()));
        rt.add("cmd", strings(r.runtime().getCmdList()));
        rt.add("env", strings(r.runtime().getEnvList()));
        if (r.runtime().hasWorkingDir()) {
            rt.addProperty("working_dir", r.runtime().getWorkingDir());
        }
        if (r.runtime().hasUser()) {
            rt.addProperty("user", r.runtime().getUser());
        }
        o.add("runtime", rt);
        o.addProperty("pulled_millis", r.pulledMillis());
        Path target = layout.record(r.name());
        Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(o.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(layout.images());
    }

    void delete(String name) throws IOException {
        Files.deleteIfExists(layout.record(name));
    }

    /** Removes temporary files of writes that were interrupted. */
    void clearTemporaries() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.images(), "*" + TEMP_SUFFIX)) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static ImageRecord read(Path p) {
        try {
            byte[] bytes = Files.readAllBytes(p);
            JsonObject o = Json.object(bytes, "image record " + p);
            String what = "image record " + p;
            List<Digest> layers = new ArrayList<>();
            for (String l : Json.strings(o, "layers", what)) {
                layers.add(Digest.parse(l));
            }
            JsonObject rt = Json.objectMember(o, "runtime", what);
            ImageRuntimeConfig.Builder b = ImageRuntimeConfig.newBuilder()
                    .addAllEntrypoint(Json.strings(rt, "entrypoint", what))
                    .addAllCmd(Json.strings(rt, "cmd", what))
                    .addAllEnv(Json.strings(rt, "env", what));
            String wd = Json.string(rt, "working_dir", what);
            if (wd != null) {
                b.setWorkingDir(wd);
            }
            String user = Json.string(rt, "user", what);
            if (user != null) {
                b.setUser(user);
            }
            return new ImageRecord(Json.string(o, "name", what), Digest.parse(Json.string(o, "digest", what)),
                    List.copyOf(layers), b.build(), Json.number(o, "pulled_millis", 0, what));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring unreadable image record {0}: {1}", p, e.getMessage());
            return null;
        }
    }

    private static JsonArray strings(List<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
