package org.unicon.store.docker.internal;

import java.util.List;

import com.google.gson.JsonObject;

/**
 * A parsed registry manifest: an image manifest or an index (manifest list). Parsing decides
 * the type from the document's {@code mediaType} and the response's {@code Content-Type}, and
 * refuses a document where they contradict each other, or whose fields do not fit its type
 * (CVE-2021-41190, ambiguous manifest/index). Schema 1 is refused as containerd 2 does.
 */
sealed interface Manifest permits Manifest.Image, Manifest.Index {

    /** An image manifest: the config blob and the layers, base first. */
    record Image(String mediaType, Descriptor config, List<Descriptor> layers) implements Manifest {}

    /** A manifest list / OCI index: one entry per platform. */
    record Index(String mediaType, List<Descriptor> manifests) implements Manifest {}

    /** @param contentType the response's Content-Type, or null when there is none (archives) */
    static Manifest parse(byte[] body, String contentType, String what) throws PullException {
        JsonObject o = Json.object(body, what);
        String declared = Json.string(o, "mediaType", what);
        String header = MediaTypes.base(contentType);
        long schema = Json.number(o, "schemaVersion", -1, what);
        if (schema == 1 || header.equals(MediaTypes.DOCKER_SCHEMA1) || header.equals(MediaTypes.DOCKER_SCHEMA1_SIGNED)) {
            throw new PullException(what + " is a Docker schema 1 manifest, which is not supported;"
                    + " push the image again with a current client (schema 2 or OCI)");
        }
        boolean headerKnown = MediaTypes.MANIFESTS.contains(header) || MediaTypes.INDEXES.contains(header);
        if (declared != null && headerKnown && !declared.equals(header)) {
            throw new PullException(what + " says its mediaType is " + Descriptor.printable(declared)
                    + " but was served as " + header);
        }
        String type = declared != null ? declared : headerKnown ? header : null;
        boolean hasManifests = o.has("manifests");
        boolean hasImageFields = o.has("layers") || o.has("config");
        if (type == null) {
            type = hasManifests ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        }
        if (MediaTypes.INDEXES.contains(type)) {
            if (hasImageFields) {
                throw new PullException(what + " is an index but also has 'config'/'layers'; refusing the ambiguous document");
            }
            List<JsonObject> entries = Json.objects(o, "manifests", what);
            if (entries == null) {
                throw new PullException(what + " is an index without 'manifests'");
            }
            List<Descriptor> ds = new java.util.ArrayList<>();
            for (JsonObject e : entries) {
                ds.add(Descriptor.parse(e, what));
            }
            return new Index(type, List.copyOf(ds));
        }
        if (MediaTypes.MANIFESTS.contains(type)) {
            if (hasManifests) {
                throw new PullException(what + " is an image manifest but also has 'manifests'; refusing the ambiguous document");
            }
            JsonObject config = Json.objectMember(o, "config", what);
            List<JsonObject> layers = Json.objects(o, "layers", what);
            if (config == null || layers == null) {
                throw new PullException(what + " has no 'config' or no 'layers'");
            }
            List<Descriptor> ds = new java.util.ArrayList<>();
            for (JsonObject l : layers) {
                ds.add(Descriptor.parse(l, what));
            }
            return new Image(type, Descriptor.parse(config, what), List.copyOf(ds));
        }
        throw new PullException(what + " has media type " + Descriptor.printable(type)
                + ", which is not a Docker or OCI image manifest or index");
    }
}
