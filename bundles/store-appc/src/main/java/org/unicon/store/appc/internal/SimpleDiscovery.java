package org.unicon.store.appc.internal;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Mesos's simple discovery: the ACI of an image is at
 * {@code <appc_simple_discovery_uri_prefix>{name}-{version}-{os}-{arch}.aci}, the prefix being
 * prepended as it is (e.g. {@code file:///srv/aci/} and {@code example.com/app} version 1.0.0
 * give {@code file:///srv/aci/example.com/app-1.0.0-linux-amd64.aci}). The prefix starts with
 * {@code http://}, {@code https://} or {@code file://}; as in Mesos an absolute path is taken as
 * a {@code file://} prefix. HTTP redirects are followed, but never from https to http.
 */
final class SimpleDiscovery {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** An open ACI: its bytes and their number, -1 when the server does not say. */
    record Source(InputStream in, long size) implements Closeable {
        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The image is not at the URI discovery gave (a file that is missing, HTTP 404 or 410). */
    static final class NotFoundException extends IOException {
        private static final long serialVersionUID = 1L;

        NotFoundException(String message) {
            super(message);
        }
    }

    private final String prefix;
    private HttpClient http; // made by the first http(s) fetch: building one sets up TLS, a quarter second

    private SimpleDiscovery(String prefix) {
        this.prefix = prefix;
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(CONNECT_TIMEOUT).build();
        }
        return http;
    }

    /** Validates {@code appc_simple_discovery_uri_prefix}; the message names the key and the value. */
    static SimpleDiscovery parse(String value) {
        String p = value == null ? "" : value.trim();
        if (p.startsWith("/")) {
            p = "file://" + p;
        }
        boolean valid = p.startsWith("http://") || p.startsWith("https://")
                || (p.startsWith("file:///") && !p.contains("/../") && !p.endsWith("/.."));
        if (!valid) {
            throw new IllegalArgumentException("unicon.store.appc: appc_simple_discovery_uri_prefix is '" + value
                    + "'; it must start with http://, https:// or file:/// (or be an absolute path)");
        }
        try {
            URI.create(p + "name");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unicon.store.appc: appc_simple_discovery_uri_prefix is '" + value
                    + "', which is not the start of a URI: " + e.getMessage());
        }
        return new SimpleDiscovery(p);
    }

    String prefix() {
        return prefix;
    }

    /** Where simple discovery says the image's ACI is. */
    URI locate(AppcReference image) {
        return URI.create(prefix + image.name() + "-" + image.label("version") + "-" + image.label("os") + "-"
                + image.label("arch") + ".aci");
    }

    /** Opens the ACI at {@code uri}; fails naming the URI when it is not there or cannot be read. */
    Source open(URI uri, AppcReference image) throws IOException, InterruptedException {
        if (uri.getScheme().equals("file")) {
            Path file = Path.of(uri);
            try {
                return new Source(Files.newInputStream(file), Files.size(file));
            } catch (NoSuchFileException | FileNotFoundException e) {
                throw new NotFoundException("appc image '" + image + "' not found at " + uri + " (no such file)");
            } catch (AccessDeniedException e) {
                throw new IOException("appc image '" + image + "': cannot read " + uri + " (permission denied)", e);
            }
        }
        HttpResponse<InputStream> response;
        try {
            response = http().send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("appc image '" + image + "': cannot fetch " + uri + ": " + e, e);
        }
        int status = response.statusCode();
        if (status == 200) {
            return new Source(response.body(), response.headers().firstValueAsLong("Content-Length").orElse(-1));
        }
        response.body().close();
        if (status == 404 || status == 410) {
            throw new NotFoundException("appc image '" + image + "' not found at " + uri + " (HTTP " + status + ")");
        }
        throw new IOException("appc image '" + image + "': " + uri + " answered HTTP " + status);
    }
}
