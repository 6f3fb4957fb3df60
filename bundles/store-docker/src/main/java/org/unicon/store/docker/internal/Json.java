package org.unicon.store.docker.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Reading the small JSON documents of an image (manifests, configs, archive indexes) with a
 * size cap, so that a giant document fails cleanly instead of filling the heap (containerd
 * caps archive JSON at 20 MiB after CVE-2023-25153).
 */
final class Json {
    /** Cap for archive JSON (manifest.json, index.json, configs). */
    static final int MAX_DOCUMENT = 20 << 20;
    /** Cap for a registry manifest (containerd's MaxManifestSize is about 4 MiB). */
    static final int MAX_MANIFEST = 4 << 20;

    private Json() {}

    /** Reads at most {@code limit} bytes; more is an error naming {@code what}. */
    static byte[] readCapped(InputStream in, int limit, String what) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + n > limit) {
                throw new PullException(what + " is larger than the " + limit + "-byte limit");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    static JsonObject object(byte[] bytes, String what) throws PullException {
        JsonElement e = parse(bytes, what);
        if (!e.isJsonObject()) {
            throw new PullException(what + " is not a JSON object");
        }
        return e.getAsJsonObject();
    }

    static JsonElement parse(byte[] bytes, String what) throws PullException {
        try {
            return JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonParseException | IllegalStateException e) {
            throw new PullException(what + " is not valid JSON: " + e.getMessage());
        }
    }

    /** A string member, or null when absent or JSON null; an error when it is something else. */
    static String string(JsonObject o, String key, String what) throws PullException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new PullException(what + ": '" + key + "' is not a string");
        }
        return e.getAsString();
    }

    static JsonObject objectMember(JsonObject o, String key, String what) throws PullException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonObject()) {
            throw new PullException(what + ": '" + key + "' is not an object");
        }
        return e.getAsJsonObject();
    }

    /** A list of strings, or null when absent; an error when it is not an array of strings. */
    static List<String> strings(JsonObject o, String key, String what) throws PullException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonArray()) {
            throw new PullException(what + ": '" + key + "' is not an array");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement item : e.getAsJsonArray()) {
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                throw new PullException(what + ": '" + key + "' holds something other than strings");
            }
            out.add(item.getAsString());
        }
        return out;
    }

    static List<JsonObject> objects(JsonObject o, String key, String what) throws PullException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonArray()) {
            throw new PullException(what + ": '" + key + "' is not an array");
        }
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement item : e.getAsJsonArray()) {
            if (!item.isJsonObject()) {
                throw new PullException(what + ": '" + key + "' holds something other than objects");
            }
            out.add(item.getAsJsonObject());
        }
        return out;
    }

    /** A whole number member, or {@code absent} when missing. */
    static long number(JsonObject o, String key, long absent, String what) throws PullException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return absent;
        }
        try {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw new NumberFormatException();
            }
            return e.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
        } catch (NumberFormatException | ArithmeticException ex) {
            throw new PullException(what + ": '" + key + "' is not a whole number");
        }
    }
}
