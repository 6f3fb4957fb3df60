package org.unicon.store.docker.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The Bearer token server of distribution's token auth spec, for loopback tests: GET
 * {@code /token?service=S&scope=repository:NAME:pull} with optional Basic credentials returns an
 * RS256 JWT whose header carries the self-signed certificate (x5c) the registry trusts as
 * {@code rootcertbundle}. The right password gets the scopes asked for; a wrong one a 401;
 * anonymous callers get a token granting nothing (so the registry answers 401 again).
 * The key and certificate are made with openssl.
 */
final class TokenServer implements AutoCloseable {
    static final String SERVICE = "unicon-test-registry";
    static final String ISSUER = "unicon-test-issuer";

    private final HttpServer server;
    private final PrivateKey key;
    private final byte[] certificateDer;
    private final Path certificate;
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private volatile int expiresIn = 300;

    private TokenServer(Path dir) throws IOException, InterruptedException {
        Path keyFile = dir.resolve("token.key");
        certificate = dir.resolve("token.crt");
        Commands.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile.toString(),
                "-out", certificate.toString(), "-days", "2", "-subj", "/CN=unicon-test-token-issuer");
        try {
            key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pem(keyFile)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot load the token key: " + e, e);
        }
        certificateDer = pem(certificate);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/token", this::token);
        server.start();
    }

    static TokenServer start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        return new TokenServer(dir);
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    Path certificate() {
        return certificate;
    }

    /** The query strings of the token requests so far. */
    List<String> queries() {
        return List.copyOf(queries);
    }

    void expiresIn(int seconds) {
        expiresIn = seconds;
    }

    private void token(HttpExchange x) throws IOException {
        String query = x.getRequestURI().getRawQuery() == null ? "" : x.getRequestURI().getRawQuery();
        queries.add(query);
        String auth = x.getRequestHeaders().getFirst("Authorization");
        boolean authed = false;
        if (auth != null && auth.startsWith("Basic ")) {
            String pair = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
            authed = pair.equals(RegistryProcess.USER + ":" + RegistryProcess.PASSWORD);
            if (!authed) {
                x.sendResponseHeaders(401, -1);
                x.close();
                return;
            }
        }
        String service = "";
        JsonArray access = new JsonArray();
        for (String param : query.split("&")) {
            int eq = param.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = param.substring(0, eq);
            String v = URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
            if (k.equals("service")) {
                service = v;
            } else if (k.equals("scope") && authed) {
                String[] parts = v.split(":");
                JsonObject a = new JsonObject();
                a.addProperty("type", parts[0]);
                a.addProperty("name", parts[1]);
                JsonArray actions = new JsonArray();
                for (String act : parts[2].split(",")) {
                    actions.add(act);
                }
                a.add("actions", actions);
                access.add(a);
            }
        }
        long now = System.currentTimeMillis() / 1000;
        JsonObject claims = new JsonObject();
        claims.addProperty("iss", ISSUER);
        claims.addProperty("sub", authed ? RegistryProcess.USER : "");
        claims.addProperty("aud", service);
        claims.addProperty("exp", now + 300);
        claims.addProperty("nbf", now - 10);
        claims.addProperty("iat", now);
        claims.addProperty("jti", UUID.randomUUID().toString());
        claims.add("access", access);
        String jwt = jwt(claims);
        JsonObject body = new JsonObject();
        body.addProperty("token", jwt);
        body.addProperty("access_token", jwt);
        body.addProperty("expires_in", expiresIn);
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(200, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    private String jwt(JsonObject claims) throws IOException {
        JsonObject head = new JsonObject();
        head.addProperty("typ", "JWT");
        head.addProperty("alg", "RS256");
        JsonArray x5c = new JsonArray();
        x5c.add(Base64.getEncoder().encodeToString(certificateDer));
        head.add("x5c", x5c);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(head.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64.encodeToString(s.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static byte[] pem(Path file) throws IOException {
        List<String> body = new ArrayList<>();
        boolean in = false;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("-----BEGIN")) {
                in = true;
            } else if (line.startsWith("-----END")) {
                break;
            } else if (in) {
                body.add(line.trim());
            }
        }
        return Base64.getDecoder().decode(String.join("", body));
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
