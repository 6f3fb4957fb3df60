package org.unicon.store.docker.internal;

import java.net.URI;
import java.util.Locale;

/**
 * One repository on one registry, with the credential to use there (null for anonymous).
 * {@code base} is scheme://host[:port]; the v2 API lives below it.
 */
record RegistryTarget(URI base, String repository, RegistryCredentials.Credential credential) {

    /** host[:port], as messages and credentials name the registry. */
    String authority() {
        return base.getRawAuthority();
    }

    /** The token scope for pulling from this repository. */
    String pullScope() {
        return "repository:" + repository + ":pull";
    }

    URI uri(String path) {
        return base.resolve("/v2/" + repository + "/" + path);
    }

    /**
     * The base URI for a registry named in an image reference: Docker Hub's API host for
     * docker.io; plain HTTP for loopback hosts (Docker treats 127.0.0.0/8 as insecure by
     * default); HTTPS otherwise. {@code configured} (the docker_registry URL, may be null) wins
     * when it names the same host, so its scheme is used.
     */
    static URI baseFor(String host, URI configured) {
        if (host == null || host.equals("docker.io")) {
            return host == null && configured != null ? configured : URI.create("https://registry-1.docker.io");
        }
        if (configured != null && host.equalsIgnoreCase(configured.getRawAuthority())) {
            return configured;
        }
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        name = name.toLowerCase(Locale.ROOT);
        boolean loopback = name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]");
        return URI.create((loopback ? "http://" : "https://") + host);
    }

    /** Parses a docker_registry URL to scheme://authority, or fails naming it. */
    static URI parseRegistryUrl(String url) {
        URI u;
        try {
            u = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("docker_registry '" + url + "' is neither an absolute directory nor a URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getRawAuthority() == null) {
            throw new IllegalArgumentException("docker_registry '" + url
                    + "' must be an http:// or https:// URL or an absolute directory");
        }
        return URI.create(scheme + "://" + u.getRawAuthority());
    }
}
