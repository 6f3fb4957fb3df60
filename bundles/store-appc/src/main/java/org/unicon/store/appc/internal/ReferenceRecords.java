package org.unicon.store.appc.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The records under {@code references/}: one JSON file per image asked for, written atomically
 * (a temporary file of its own, fsync, rename, fsync of the directory) after every ACI it names
 * is committed, so a record never points at an ACI that is not there. A record that cannot be
 * read is treated as absent (the image is fetched again) and logged.
 */
final class ReferenceRecords {
    private static final System.Logger LOG = System.getLogger(ReferenceRecords.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEMP_SUFFIX = ".tmp";

    /**
     * What the store knows of one image reference: the image ID it resolved to and its layers
     * (image IDs, dependencies first, the image itself last).
     */
    record Reference(AppcReference reference, String id, List<String> layers, long pulledMillis) {}

    private final StoreLayout layout;

    ReferenceRecords(StoreLayout layout) {
        this.layout = layout;
    }

    Optional<Reference> read(AppcReference reference) {
        return read(layout.reference(reference.key())).filter(r -> r.reference().key().equals(reference.key()));
    }

    List<Reference> all() throws IOException {
        List<Reference> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.references(), "*.json")) {
            for (Path p : ds) {
                read(p).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparing(r -> r.reference().key()));
        return out;
    }

    void write(Reference r) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", r.reference().name());
        ObjectNode labels = o.putObject("labels");
        r.reference().effectiveLabels().forEach(labels::put);
        o.put("id", r.id());
        r.layers().forEach(o.putArray("layers")::add);
        o.put("pulled_millis", r.pulledMillis());
        Path target = layout.reference(r.reference().key());
        Path temp = Files.createTempFile(layout.references(), target.getFileName().toString(), TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(JSON.writeValueAsBytes(o)));
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        try (FileChannel dir = FileChannel.open(layout.references(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    void delete(AppcReference reference) throws IOException {
        Files.deleteIfExists(layout.reference(reference.key()));
    }

    /** Removes temporary files of writes that were interrupted. */
    void clearTemporaries() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.references(), "*" + TEMP_SUFFIX)) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Optional<Reference> read(Path p) {
        try {
            JsonNode o = JSON.readTree(Files.readAllBytes(p));
            Map<String, String> labels = new LinkedHashMap<>();
            o.required("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            AppcReference reference = AppcReference.of(o.required("name").asText(), labels, Optional.empty());
            List<String> layers = new ArrayList<>();
            for (JsonNode layer : o.required("layers")) {
                layout.image(layer.asText());
                layers.add(layer.asText());
            }
            String id = o.required("id").asText();
            layout.image(id);
            return Optional.of(new Reference(reference, id, List.copyOf(layers), o.path("pulled_millis").asLong()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring unreadable image record {0}: {1}", p, e.getMessage());
            return Optional.empty();
        }
    }
}
