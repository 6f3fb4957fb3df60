package org.unicon.store.docker.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Registry credentials from Docker's config JSON: {@code {"auths": {"host[:port]": {"auth":
 * base64(user:password)} or {"username":..., "password":...}}}}, or the old {@code .dockercfg}
 * form (the same entries at the top level), as Mesos accepts both. Keys may be URLs
 * ({@code https://index.docker.io/v1/}); they are matched by host[:port]. Credential helpers
 * ({@code credsStore}, {@code credHelpers}) run programs and are not supported.
 */
final class RegistryCredentials {
    static final RegistryCredentials NONE = new RegistryCredentials(Map.of());

    /** A user name and password; {@link #toString()} never shows the password. */
    record Credential(String username, String password) {
        String basic() {
            return "Basic " + Base64.getEncoder().encodeToString(
                    (username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return username;
        }
    }

    private final Map<String, Credential> byHost;

    private RegistryCredentials(Map<String, Credential> byHost) {
        this.byHost = Map.copyOf(byHost);
    }

    /** Parses Docker config JSON; {@code origin} names where it came from, for messages. */
    static RegistryCredentials parse(String json, String origin) throws PullException {
        JsonObject root = Json.object(json.getBytes(StandardCharsets.UTF_8), origin);
        JsonObject auths = root.has("auths") ? Json.objectMember(root, "auths", origin) : root;
        Map<String, Credential> out = new HashMap<>();
        if (auths == null) {
            return NONE;
        }
        for (Map.Entry<String, JsonElement> e : auths.entrySet()) {
            if (!e.getValue().isJsonObject()) {
                continue;
            }
            JsonObject entry = e.getValue().getAsJsonObject();
            String what = origin + " entry '" + e.getKey() + "'";
            String auth = Json.string(entry, "auth", what);
            String user = Json.string(entry, "username", what);
            String password = Json.string(entry, "password", what);
            if (auth != null && !auth.isEmpty()) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException ex) {
                    throw new PullException(what + ": 'auth' is not base64");
                }
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    throw new PullException(what + ": 'auth' is not base64 of user:password");
                }
                user = decoded.substring(0, colon);
                password = decoded.substring(colon + 1);
            }
            if (user != null && password != null) {
                out.put(hostOf(e.getKey()), new Credential(user, password));
            }
        }
        return new RegistryCredentials(out);
    }

    /** These credentials with {@code other}'s entries taking precedence. */
    RegistryCredentials overriddenBy(RegistryCredentials other) {
        if (other.byHost.isEmpty()) {
            return this;
        }
        Map<String, Credential> merged = new HashMap<>(byHost);
        merged.putAll(other.byHost);
        return new RegistryCredentials(merged);
    }

    /** The credential for a registry {@code host[:port]}, or null. */
    Credential forHost(String authority) {
        return byHost.get(hostOf(authority));
    }

    boolean isEmpty() {
        return byHost.isEmpty();
    }

    /** {@code https://index.docker.io/v1/} → {@code docker.io}; {@code http://h:5000/x} → {@code h:5000}. */
    static String hostOf(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        int slash = k.indexOf('/');
        if (slash >= 0) {
            k = k.substring(0, slash);
        }
        if (k.equals("index.docker.io") || k.equals("registry-1.docker.io") || k.equals("registry.hub.docker.com")) {
            return "docker.io";
        }
        return k;
    }
}
