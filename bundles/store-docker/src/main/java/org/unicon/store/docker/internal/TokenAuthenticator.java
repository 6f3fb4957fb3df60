package org.unicon.store.docker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.google.gson.JsonObject;

/**
 * Answers registry challenges (distribution's token auth spec): for {@code Bearer}, GETs the
 * realm with {@code service} and every {@code scope}, sending the user's Basic credentials if
 * there are any, and reads {@code token} or {@code access_token}; for {@code Basic}, sends the
 * credentials. Tokens are cached per registry, scope and credential until {@code expires_in} (60 s
 * when absent) runs out; a registry known to want Basic gets it up front.
 */
final class TokenAuthenticator {
    /** Sends one request, with the client's retries; never follows redirects. */
    interface Transport {
        HttpResponse<InputStream> send(HttpRequest request) throws IOException;
    }

    private static final Duration DEFAULT_EXPIRY = Duration.ofSeconds(60);
    private static final Duration MARGIN = Duration.ofSeconds(5);
    private static final int MAX_TOKEN_RESPONSE = 1 << 20;

    private record Token(String authorization, Instant expires) {}

    private final Transport transport;
    private final Clock clock;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> basicHosts = new ConcurrentHashMap<>();

    TokenAuthenticator(Transport transport, Clock clock) {
        this.transport = transport;
        this.clock = clock;
    }

    /** The Authorization to send up front, from the cache, or null. */
    String cached(RegistryTarget target) {
        Token t = tokens.get(key(target));
        if (t != null) {
            if (clock.instant().isBefore(t.expires())) {
                return t.authorization();
            }
            tokens.remove(key(target), t);
        }
        if (target.credential() != null && basicHosts.containsKey(target.authority())) {
            return target.credential().basic();
        }
        return null;
    }

    /** Drops what is cached for the target (after the registry refused it). */
    void forget(RegistryTarget target) {
        tokens.remove(key(target));
    }

    /**
     * The Authorization that answers {@code challenges} from the target's registry, or null
     * when none of them can be answered (Basic without credentials, unknown schemes).
     */
    String authenticate(RegistryTarget target, List<AuthChallenge> challenges) throws IOException {
        for (AuthChallenge c : challenges) {
            if (c.scheme().equals("bearer") && c.param("realm") != null) {
                return bearer(target, c);
            }
        }
        for (AuthChallenge c : challenges) {
            if (c.scheme().equals("basic") && target.credential() != null) {
                basicHosts.put(target.authority(), "basic");
                return target.credential().basic();
            }
        }
        return null;
    }

    private String bearer(RegistryTarget target, AuthChallenge c) throws IOException {
        URI realm;
        try {
            realm = URI.create(c.param("realm"));
        } catch (IllegalArgumentException e) {
            throw new PullException("registry " + target.authority() + " named an invalid token realm '"
                    + Descriptor.printable(c.param("realm")) + "'");
        }
        String scheme = realm.getScheme() == null ? "" : realm.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || realm.getRawAuthority() == null) {
            throw new PullException("registry " + target.authority() + " named token realm '"
                    + Descriptor.printable(c.param("realm")) + "', which is not an http(s) URL");
        }
        if (target.base().getScheme().equals("https") && scheme.equals("http") && target.credential() != null) {
            throw new PullException("registry " + target.authority() + " asked to send credentials over plain HTTP to "
                    + realm.getRawAuthority() + "; refusing");
        }
        List<String> query = new ArrayList<>();
        if (c.param("service") != null) {
            query.add("service=" + enc(c.param("service")));
        }
        List<String> scopes = c.all("scope").isEmpty() ? List.of(target.pullScope()) : c.all("scope");
        for (String s : scopes) {
            for (String one : s.split(" ")) {
                if (!one.isEmpty()) {
                    query.add("scope=" + enc(one));
                }
            }
        }
        String sep = realm.getRawQuery() == null ? "?" : "&";
        URI uri = URI.create(realm + (query.isEmpty() ? "" : sep + String.join("&", query)));
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(60));
        if (target.credential() != null) {
            req.header("Authorization", target.credential().basic());
        }
        HttpResponse<InputStream> resp = transport.send(req.build());
        byte[] body;
        try (InputStream in = resp.body()) {
            body = Json.readCapped(in, MAX_TOKEN_RESPONSE, "token response from " + realm.getRawAuthority());
        }
        int status = resp.statusCode();
        if (status == 401 || status == 403) {
            throw new PullException("token server " + realm.getRawAuthority() + " for registry " + target.authority()
                    + (target.credential() != null ? " refused credentials for '" : " refused anonymous access to '")
                    + target.repository() + "' (" + status + ")");
        }
        if (status != 200) {
            throw new PullException("token server " + realm.getRawAuthority() + " for registry " + target.authority()
                    + " answered " + status);
        }
        JsonObject o = Json.object(body, "token response from " + realm.getRawAuthority());
        String token = Json.string(o, "token", "token response");
        if (token == null || token.isEmpty()) {
            token = Json.string(o, "access_token", "token response");
        }
        if (token == null || token.isEmpty()) {
            throw new PullException("token server " + realm.getRawAuthority() + " returned no token");
        }
        long expiresIn = Json.number(o, "expires_in", -1, "token response");
        Duration life = expiresIn > 0 ? Duration.ofSeconds(expiresIn) : DEFAULT_EXPIRY;
        Instant expires = clock.instant().plus(life.compareTo(MARGIN.multipliedBy(2)) > 0 ? life.minus(MARGIN) : life);
        String authorization = "Bearer " + token;
        tokens.put(key(target), new Token(authorization, expires));
        return authorization;
    }

    private static String key(RegistryTarget t) {
        return t.authority() + " " + t.pullScope() + " " + (t.credential() == null ? "" : t.credential().basic());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
