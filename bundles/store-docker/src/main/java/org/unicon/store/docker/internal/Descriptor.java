package org.unicon.store.docker.internal;

import java.util.List;

import com.google.gson.JsonObject;
import org.unicon.layers.Digest;

/**
 * A content descriptor (OCI image-spec descriptor.md): what a blob is, its validated digest and
 * its size. The digest is parsed before anything else touches it, so it is safe to use in a
 * path or URL; a negative or missing size is refused (umoci 0.5.1).
 */
record Descriptor(String mediaType, Digest digest, long size, List<String> urls, Platform platform,
                  JsonObject annotations) {

    static Descriptor parse(JsonObject o, String what) throws PullException {
        String mediaType = Json.string(o, "mediaType", what);
        String digestText = Json.string(o, "digest", what);
        if (digestText == null) {
            throw new PullException(what + ": a descriptor has no digest");
        }
        Digest digest;
        try {
            digest = Digest.parse(digestText);
        } catch (IllegalArgumentException e) {
            throw new PullException(what + ": invalid digest '" + printable(digestText) + "'");
        }
        long size = Json.number(o, "size", -1, what);
        if (size < 0) {
            throw new PullException(what + ": descriptor " + digest + " has no or a negative size");
        }
        List<String> urls = Json.strings(o, "urls", what);
        JsonObject p = Json.objectMember(o, "platform", what);
        Platform platform = p == null ? null : new Platform(Json.string(p, "os", what),
                Json.string(p, "architecture", what), Json.string(p, "variant", what));
        JsonObject annotations = Json.objectMember(o, "annotations", what);
        return new Descriptor(mediaType == null ? "" : mediaType, digest, size,
                urls == null ? List.of() : urls, platform, annotations == null ? new JsonObject() : annotations);
    }

    /** An annotation value, or null. */
    String annotation(String key) {
        var e = annotations.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }

    /** Text from untrusted input, shortened and without control characters, for messages. */
    static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** The os/architecture[/variant] an index entry is for. */
    record Platform(String os, String architecture, String variant) {
        @Override
        public String toString() {
            return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
        }
    }
}
