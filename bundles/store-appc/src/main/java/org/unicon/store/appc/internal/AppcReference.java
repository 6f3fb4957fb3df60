package org.unicon.store.appc.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.unicon.model.Image;
import org.unicon.model.Label;

/**
 * An appc image as asked for: a name, labels and maybe an image ID. Simple discovery needs
 * {@code version}, {@code os} and {@code arch}; when they are not given they default to
 * {@code latest}, {@code linux} and {@code amd64} (this host). Only the labels given explicitly
 * are checked against the fetched image's manifest (see {@link AciManifest#mismatch}).
 *
 * <p>The name must be an appc AC identifier and the labels that go into the discovery URI may
 * hold no {@code /}: validated here, before anything becomes a URI or a path.
 */
record AppcReference(String name, Map<String, String> labels, Optional<String> id) {
    static final Map<String, String> DEFAULTS = defaults();

    /** appc's AC identifier: lower-case alphanumerics separated by single {@code - . _ ~ /}. */
    static final Pattern AC_IDENTIFIER = Pattern.compile("[a-z0-9]+([-._~/][a-z0-9]+)*");
    /** appc's image ID: sha512- and the hex digest of the uncompressed ACI tar. */
    static final Pattern IMAGE_ID = Pattern.compile("sha512-[0-9a-f]{128}");
    private static final Pattern URI_LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]*");

    AppcReference {
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("version", "latest");
        d.put("os", "linux");
        d.put("arch", "amd64");
        return Collections.unmodifiableMap(d);
    }

    /** The appc part of a Mesos {@code Image}, validated. */
    static AppcReference of(Image image) {
        if (!image.hasAppc() || image.getAppc().getName().isEmpty()) {
            throw new IllegalArgumentException("an appc image needs appc.name");
        }
        Image.Appc appc = image.getAppc();
        Map<String, String> labels = new LinkedHashMap<>();
        for (Label label : appc.getLabels().getLabelsList()) {
            if (label.getKey().isEmpty()) {
                throw new IllegalArgumentException("appc image '" + appc.getName() + "' has a label without a name");
            }
            if (labels.put(label.getKey(), label.getValue()) != null) {
                throw new IllegalArgumentException("appc image '" + appc.getName() + "' has label '" + label.getKey()
                        + "' twice");
            }
        }
        return of(appc.getName(), labels, appc.getId().isEmpty() ? Optional.empty() : Optional.of(appc.getId()));
    }

    /** Validates and makes a reference (also for a manifest's dependencies). */
    static AppcReference of(String name, Map<String, String> labels, Optional<String> id) {
        if (!AC_IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("appc image name '" + name + "' is not an AC identifier (lower-case"
                    + " letters and digits separated by single '-', '.', '_', '~' or '/')");
        }
        for (String key : DEFAULTS.keySet()) {
            String value = labels.get(key);
            if (value != null && !URI_LABEL.matcher(value).matches()) {
                throw new IllegalArgumentException("appc image '" + name + "': label " + key + "='" + value
                        + "' cannot be part of a discovery URI (letters, digits, '.', '_', '+', '~', '-')");
            }
        }
        if (id.isPresent() && !IMAGE_ID.matcher(id.get()).matches()) {
            throw new IllegalArgumentException("appc image '" + name + "': id '" + id.get()
                    + "' is not an image ID (sha512- and 128 lower-case hex digits)");
        }
        return new AppcReference(name, labels, id);
    }

    /** A label's value, or its default for version, os and arch. */
    String label(String key) {
        String value = labels.get(key);
        return value != null ? value : DEFAULTS.get(key);
    }

    /** The labels with defaults for version, os and arch; in that order, then the rest sorted. */
    Map<String, String> effectiveLabels() {
        Map<String, String> all = new LinkedHashMap<>();
        DEFAULTS.keySet().forEach(key -> all.put(key, label(key)));
        new TreeMap<>(labels).forEach(all::putIfAbsent);
        return all;
    }

    /** One string per distinct image as the store keys it: name and effective labels. */
    String key() {
        StringBuilder key = new StringBuilder(name);
        effectiveLabels().forEach((k, v) -> key.append(',').append(k).append('=').append(v));
        return key.toString();
    }

    /** How messages and {@code unicon images} name it: as {@code --appc_image} takes it. */
    @Override
    public String toString() {
        return key();
    }
}
