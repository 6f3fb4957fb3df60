package org.unicon.store.docker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

import org.unicon.layers.Digest;

/**
 * A Docker Registry HTTP API v2 / OCI distribution client for pulling, on the JDK's HTTP client.
 *
 * <p>Contracts (see trust.md §2): every manifest request accepts the four Docker/OCI manifest
 * and index types; manifests are size-capped and checked against {@code Docker-Content-Digest}
 * and against the digest they were asked by; blobs are verified (digest and size) while they
 * stream. A 401 is answered once (token or Basic) and the request repeated once, never more.
 * Redirects are followed here, at most {@link #MAX_REDIRECTS}, never from https to http, and
 * {@code Authorization} is only ever sent to the registry's own host. 408, 429, 5xx and
 * transport errors are retried with backoff; other 4xx are not.
 */
final class RegistryClient {
    static final int MAX_REDIRECTS = 10;
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
    private static final System.Logger LOG = System.getLogger(RegistryClient.class.getName());

    /** A fetched manifest: its bytes (verified when asked by digest), type and digest. */
    record ManifestResponse(byte[] body, String contentType, Digest digest) {}

    private HttpClient http; // made by the first request: building one sets up TLS, a quarter second
    private final RetryPolicy retry;
    private final TokenAuthenticator auth;

    RegistryClient(RetryPolicy retry, Clock clock) {
        this.retry = retry;
        this.auth = new TokenAuthenticator(this::sendWithRetries, clock);
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(30))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
        }
        return http;
    }

    /** The digest a tag points at, from HEAD (free of Docker Hub's pull quota), or empty if the registry does not say. */
    Optional<Digest> headManifest(RegistryTarget t, String reference, String image) throws IOException {
        HttpResponse<InputStream> r = request(t, "HEAD", t.uri("manifests/" + reference),
                Map.of("Accept", MediaTypes.MANIFEST_ACCEPT), image);
        discard(r);
        if (r.statusCode() == 404) {
            throw notFound(t, image, "manifest unknown");
        }
        if (r.statusCode() != 200) {
            return Optional.empty();
        }
        return r.headers().firstValue("Docker-Content-Digest").flatMap(RegistryClient::digestOrEmpty);
    }

    /**
     * GETs a manifest by tag or digest. When {@code expected} is given the body must hash to
     * it; a {@code Docker-Content-Digest} header must match the body too.
     */
    ManifestResponse getManifest(RegistryTarget t, String reference, Digest expected, String image) throws IOException {
        HttpResponse<InputStream> r = request(t, "GET", t.uri("manifests/" + reference),
                Map.of("Accept", MediaTypes.MANIFEST_ACCEPT), image);
        String what = "manifest " + reference + " of image '" + image + "'";
        byte[] body;
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw failure(t, image, what, r.statusCode(), in);
            }
            long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length > Json.MAX_MANIFEST) {
                throw new PullException(what + " is " + length + " bytes, more than the " + Json.MAX_MANIFEST + "-byte limit");
            }
            body = Json.readCapped(in, Json.MAX_MANIFEST, what);
        }
        Digest actual = expected == null ? sha256(body) : hash(expected, body);
        if (expected != null && !actual.equals(expected)) {
            throw new BlobVerificationException(what + " does not match its digest: the bytes hash to " + actual);
        }
        Optional<Digest> header = r.headers().firstValue("Docker-Content-Digest").flatMap(RegistryClient::digestOrEmpty);
        if (header.isPresent() && !header.get().equals(hash(header.get(), body))) {
            throw new BlobVerificationException(what + " does not match the Docker-Content-Digest " + header.get()
                    + " the registry sent with it");
        }
        return new ManifestResponse(body, r.headers().firstValue("Content-Type").orElse(null), actual);
    }

    /** A small blob (an image config), read whole and verified. */
    byte[] getBlob(RegistryTarget t, Descriptor d, int limit, String image) throws IOException {
        if (d.size() > limit) {
            throw new PullException("blob " + d.digest() + " of image '" + image + "' is " + d.size()
                    + " bytes, more than the " + limit + "-byte limit");
        }
        try (VerifyingInputStream in = openBlob(t, d, image, n -> { })) {
            byte[] body = in.readAllBytes();
            in.drainAndVerify();
            return body;
        }
    }

    /** Opens a blob; the stream verifies digest and size when it is read to the end. */
    VerifyingInputStream openBlob(RegistryTarget t, Descriptor d, String image, LongConsumer progress) throws IOException {
        String what = "blob " + d.digest() + " of image '" + image + "'";
        HttpResponse<InputStream> r = request(t, "GET", t.uri("blobs/" + d.digest()), Map.of(), image);
        if (r.statusCode() != 200) {
            try (InputStream in = r.body()) {
                throw failure(t, image, what, r.statusCode(), in);
            }
        }
        long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (length >= 0 && length != d.size()) {
            discard(r);
            throw new BlobVerificationException(what + " is served as " + length + " bytes but its descriptor says "
                    + d.size());
        }
        return new VerifyingInputStream(r.body(), d.digest(), d.size(), what, progress);
    }

    private HttpResponse<InputStream> request(RegistryTarget t, String method, URI uri, Map<String, String> headers,
                                              String image) throws IOException {
        for (int attempt = 0; ; attempt++) {
            boolean last = attempt + 1 >= retry.attempts();
            HttpResponse<InputStream> r;
            try {
                r = authorized(t, method, uri, headers, image);
            } catch (PullException | InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                if (last) {
                    throw new PullException("registry " + t.authority() + " could not be reached for image '" + image
                            + "' after " + retry.attempts() + " attempts: " + e, e);
                }
                LOG.log(System.Logger.Level.INFO, "image ''{0}'': {1} {2} failed ({3}), retrying",
                        image, method, uri.getRawPath(), e.toString());
                sleep(retry.delay(attempt, null));
                continue;
            }
            if (RetryPolicy.retryable(r.statusCode()) && !last) {
                discard(r);
                LOG.log(System.Logger.Level.INFO, "image ''{0}'': {1} {2} answered {3}, retrying",
                        image, method, uri.getRawPath(), r.statusCode());
                sleep(retry.delay(attempt, retryAfter(r)));
                continue;
            }
            return r;
        }
    }

    /** One exchange with the auth dance: cached credentials first, then one answer to a 401. */
    private HttpResponse<InputStream> authorized(RegistryTarget t, String method, URI uri, Map<String, String> headers,
                                                 String image) throws IOException {
        String authorization = auth.cached(t);
        HttpResponse<InputStream> r = follow(t, method, uri, headers, authorization);
        if (r.statusCode() != 401 || !sameAuthority(r.uri(), t.base())) {
            return checkDenied(t, r, image);
        }
        List<AuthChallenge> challenges = AuthChallenge.parse(r.headers().allValues("WWW-Authenticate"));
        discard(r);
        if (authorization != null) {
            auth.forget(t);
        }
        String fresh = auth.authenticate(t, challenges);
        if (fresh == null) {
            throw unauthorized(t, image);
        }
        r = follow(t, method, uri, headers, fresh);
        if (r.statusCode() == 401) {
            discard(r);
            auth.forget(t);
            throw unauthorized(t, image);
        }
        return checkDenied(t, r, image);
    }

    private HttpResponse<InputStream> checkDenied(RegistryTarget t, HttpResponse<InputStream> r, String image)
            throws IOException {
        if (r.statusCode() == 403) {
            discard(r);
            throw new PullException("registry " + t.authority() + " denied access to '" + t.repository()
                    + "' for image '" + image + "' (403)");
        }
        if (r.statusCode() == 401) {
            discard(r);
            throw new PullException("host " + r.uri().getRawAuthority() + ", where registry " + t.authority()
                    + " redirected, asked for credentials for image '" + image + "'; credentials are never sent to another host");
        }
        return r;
    }

    private HttpResponse<InputStream> follow(RegistryTarget t, String method, URI uri, Map<String, String> headers,
                                             String authorization) throws IOException {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(current)
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(REQUEST_TIMEOUT);
            headers.forEach(b::header);
            if (authorization != null && sameAuthority(current, t.base())) {
                b.header("Authorization", authorization);
            }
            HttpResponse<InputStream> r = send(b.build());
            int s = r.statusCode();
            Optional<String> location = r.headers().firstValue("Location");
            if (!(s == 301 || s == 302 || s == 303 || s == 307 || s == 308) || location.isEmpty()) {
                return r;
            }
            discard(r);
            URI next;
            try {
                next = current.resolve(location.get().trim());
            } catch (IllegalArgumentException e) {
                throw new PullException("registry " + t.authority() + " redirected to an invalid location '"
                        + Descriptor.printable(location.get()) + "'");
            }
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || next.getRawAuthority() == null) {
                throw new PullException("registry " + t.authority() + " redirected to '" + Descriptor.printable(next.toString())
                        + "', which is not an http(s) URL");
            }
            if (current.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
                throw new PullException("registry " + t.authority() + " redirected from https to plain http ("
                        + next.getRawAuthority() + "); refusing");
            }
            current = next;
        }
        throw new PullException("registry " + t.authority() + " redirected more than " + MAX_REDIRECTS + " times for "
                + uri.getRawPath());
    }

    /** Sends one request (with retries for transport errors and 408/429/5xx), for the token server. */
    private HttpResponse<InputStream> sendWithRetries(HttpRequest request) throws IOException {
        for (int attempt = 0; ; attempt++) {
            boolean last = attempt + 1 >= retry.attempts();
            HttpResponse<InputStream> r;
            try {
                r = send(request);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                if (last) {
                    throw new PullException("token server " + request.uri().getRawAuthority() + " could not be reached: " + e, e);
                }
                sleep(retry.delay(attempt, null));
                continue;
            }
            if (RetryPolicy.retryable(r.statusCode()) && !last) {
                discard(r);
                sleep(retry.delay(attempt, retryAfter(r)));
                continue;
            }
            return r;
        }
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
        try {
            return http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while talking to " + request.uri().getRawAuthority());
        }
    }

    private PullException unauthorized(RegistryTarget t, String image) {
        if (t.credential() != null) {
            return new PullException("registry " + t.authority() + " refused credentials for '" + t.repository()
                    + "' (401) while pulling image '" + image + "'");
        }
        return new PullException("registry " + t.authority() + " requires credentials for '" + t.repository()
                + "' (401) to pull image '" + image + "'; add them to docker_config or to the image's pull config");
    }

    private static PullException notFound(RegistryTarget t, String image, String detail) {
        return new PullException("image '" + image + "' not found in registry " + t.authority() + " (" + detail + ")");
    }

    /** A non-200 answer as a message, with the registry's own error code and text when it sent some. */
    private static PullException failure(RegistryTarget t, String image, String what, int status, InputStream body) {
        String detail = "";
        try {
            byte[] b = body.readNBytes(4096);
            var o = Json.parse(b, "error").getAsJsonObject();
            var errors = o.getAsJsonArray("errors");
            if (errors != null && !errors.isEmpty()) {
                var e = errors.get(0).getAsJsonObject();
                detail = Descriptor.printable(e.get("code").getAsString() + ": " + e.get("message").getAsString());
            }
        } catch (IOException | RuntimeException ignored) {
            // the body is only decoration for the message
        }
        if (status == 404) {
            return notFound(t, image, what + (detail.isEmpty() ? " unknown" : ", " + detail));
        }
        return new PullException("registry " + t.authority() + " answered " + status + " for " + what
                + (detail.isEmpty() ? "" : " (" + detail + ")"));
    }

    private static Digest hash(Digest like, byte[] body) {
        MessageDigest md = like.newMessageDigest();
        return Digest.of(like.algorithm(), md.digest(body));
    }

    static Digest sha256(byte[] body) {
        return Digest.of("sha256", Digest.newMessageDigest("sha256").digest(body));
    }

    private static Optional<Digest> digestOrEmpty(String s) {
        try {
            return Optional.of(Digest.parse(s.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Duration retryAfter(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").map(v -> {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim())));
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
    }

    static boolean sameAuthority(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && String.valueOf(a.getRawAuthority()).equalsIgnoreCase(String.valueOf(b.getRawAuthority()));
    }

    private static void discard(HttpResponse<InputStream> r) {
        try {
            r.body().close();
        } catch (IOException ignored) {
            // nothing to do about a body nobody wants
        }
    }

    private static void sleep(Duration d) throws InterruptedIOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
