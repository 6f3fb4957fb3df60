package org.unicon.store.docker.internal;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import org.unicon.layers.Digest;

/**
 * A Docker image reference {@code [REGISTRY_HOST[:PORT]/]REPOSITORY[:TAG|@DIGEST]} with Docker's
 * defaults: a name without a registry host refers to Docker Hub's namespace, so a one-component
 * repository gets {@code library/}, and the tag defaults to {@code latest}. The first component
 * is a registry host when it contains a dot or a colon or is {@code localhost} (Docker's rule).
 *
 * <p>Everything is validated here, so a reference is safe to use in a URL path and in a file
 * name below the archive directory (no {@code ..}, no empty component).
 */
public final class ImageReference {
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final int MAX_NAME = 255;
    private static final String DOCKER_HUB = "docker.io";

    private final String registry;
    private final String givenRepository;
    private final String repository;
    private final String tag;
    private final Digest digest;

    private ImageReference(String registry, String givenRepository, String repository, String tag, Digest digest) {
        this.registry = registry;
        this.givenRepository = givenRepository;
        this.repository = repository;
        this.tag = tag;
        this.digest = digest;
    }

    /** Parses {@code text}, or fails with a message naming it and what is wrong. */
    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("image reference is empty");
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (IllegalArgumentException e) {
                throw invalid(text, "'" + rest.substring(at + 1) + "' is not a digest (sha256:<64 hex> or sha512:<128 hex>)");
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(text, "'" + tag + "' is not a valid tag");
            }
        }
        String registry = null;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")
                    || !first.equals(first.toLowerCase(Locale.ROOT))) {
                if (!HOST.matcher(first).matches()) {
                    throw invalid(text, "'" + first + "' is not a valid registry host");
                }
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        if (rest.isEmpty()) {
            throw invalid(text, "the repository name is missing");
        }
        if (rest.length() > MAX_NAME) {
            throw invalid(text, "the repository name is longer than " + MAX_NAME + " characters");
        }
        for (String component : rest.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw invalid(text, "'" + component + "' is not a valid repository component"
                        + " (lowercase letters, digits and single separators . _ __ -)");
            }
        }
        if (registry != null && (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io"))) {
            registry = DOCKER_HUB;
        }
        String repository = rest;
        boolean hub = registry == null || registry.equals(DOCKER_HUB);
        if (hub && !rest.contains("/")) {
            repository = "library/" + rest;
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(registry, rest, repository, tag, digest);
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid image reference '" + text + "': " + why);
    }

    /** The registry host[:port] named in the reference, or null when it names none. */
    public String registry() {
        return registry;
    }

    /** True when the reference lies in Docker Hub's namespace (no host, or docker.io). */
    public boolean dockerHub() {
        return registry == null || registry.equals(DOCKER_HUB);
    }

    /** The repository path as the registry knows it, e.g. {@code library/busybox}. */
    public String repository() {
        return repository;
    }

    /** The repository as written, e.g. {@code busybox} (what {@code docker save} files are named by). */
    public String givenRepository() {
        return givenRepository;
    }

    /** The tag, or null for a reference by digest only. */
    public String tag() {
        return tag;
    }

    /** The digest, or null. */
    public Digest digest() {
        return digest;
    }

    /** What to ask the registry's manifest endpoint for: the digest when there is one, else the tag. */
    public String manifestReference() {
        return digest != null ? digest.toString() : tag;
    }

    /** The normalised name, the key images are stored under: {@code [host/]repository[:tag][@digest]}. */
    public String name() {
        StringBuilder b = new StringBuilder();
        if (registry != null && !registry.equals(DOCKER_HUB)) {
            b.append(registry).append('/');
        }
        b.append(repository);
        if (tag != null) {
            b.append(':').append(tag);
        }
        if (digest != null) {
            b.append('@').append(digest);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageReference r && r.name().equals(name());
    }

    @Override
    public int hashCode() {
        return Objects.hash(name());
    }
}
