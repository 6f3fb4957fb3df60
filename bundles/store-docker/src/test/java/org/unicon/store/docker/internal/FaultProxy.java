package org.unicon.store.docker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP proxy on loopback in front of a real registry that counts requests and, when told,
 * causes the faults a healthy registry never produces: wrong bytes in a blob, a short blob,
 * 5xx answers, a redirect of blob requests to another host, a rewritten manifest. Tests that
 * use it say which fault it stands in for.
 */
final class FaultProxy implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1).build();
    private final URI upstream;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    volatile boolean corruptBlobs;
    volatile boolean truncateBlobs;
    final AtomicInteger blobFailures = new AtomicInteger();
    volatile int failureStatus = 500;
    volatile URI redirectBlobsTo;
    volatile UnaryOperator<String> manifestRewrite;
    /** With a rewrite: also drop Docker-Content-Digest, so the client cannot know the real digest. */
    volatile boolean hideManifestDigest;

    private FaultProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static FaultProxy in(URI upstream) throws IOException {
        return new FaultProxy(upstream);
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    URI url() {
        return URI.create("http://" + host());
    }

    /** How many requests came in for {@code "METHOD path"}, e.g. {@code "GET /v2/x/blobs/sha256:..."}. */
    int count(String methodAndPath) {
        AtomicInteger n = counts.get(methodAndPath);
        return n == null ? 0 : n.get();
    }

    /** Requests whose path contains {@code part} and were made with {@code method}. */
    int countMatching(String method, String part) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(method + " ") && e.getKey().contains(part))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /** The Authorization headers received (null entries for requests without one). */
    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String method = x.getRequestMethod();
            String path = x.getRequestURI().getRawPath();
            counts.computeIfAbsent(method + " " + path, k -> new AtomicInteger()).incrementAndGet();
            String authorization = x.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization == null ? "none" : authorization);
            boolean blob = path.contains("/blobs/");
            if (blob && redirectBlobsTo != null) {
                x.getResponseHeaders().set("Location", redirectBlobsTo.resolve(x.getRequestURI().getRawPath()).toString());
                x.sendResponseHeaders(307, -1);
                return;
            }
            if (blob && blobFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                x.sendResponseHeaders(failureStatus, -1);
                return;
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(upstream.resolve(x.getRequestURI().toString()))
                    .method(method, HttpRequest.BodyPublishers.noBody());
            for (String h : List.of("Accept", "Authorization")) {
                String v = x.getRequestHeaders().getFirst(h);
                if (v != null) {
                    b.header(h, v);
                }
            }
            HttpResponse<InputStream> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            for (String h : List.of("Content-Type", "Docker-Content-Digest", "Www-Authenticate", "Location")) {
                r.headers().allValues(h).forEach(v -> x.getResponseHeaders().add(h, v));
            }
            if (hideManifestDigest && path.contains("/manifests/")) {
                x.getResponseHeaders().remove("Docker-Content-Digest");
            }
            long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            try (InputStream in = r.body()) {
                if (method.equals("HEAD")) {
                    if (length >= 0) {
                        x.getResponseHeaders().set("Content-Length", Long.toString(length));
                    }
                    x.sendResponseHeaders(r.statusCode(), -1);
                    return;
                }
                byte[] body = in.readAllBytes();
                boolean manifest = path.contains("/manifests/") && r.statusCode() == 200;
                if (manifest && manifestRewrite != null) {
                    body = manifestRewrite.apply(new String(body, java.nio.charset.StandardCharsets.UTF_8))
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    x.getResponseHeaders().remove("Docker-Content-Digest");
                }
                if (blob && r.statusCode() == 200 && corruptBlobs && body.length > 0) {
                    body = body.clone();
                    body[body.length / 2] ^= 0x55;
                }
                if (blob && r.statusCode() == 200 && truncateBlobs) {
                    body = java.util.Arrays.copyOf(body, body.length / 2);
                }
                x.sendResponseHeaders(r.statusCode(), body.length == 0 ? -1 : body.length);
                try (OutputStream out = x.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
