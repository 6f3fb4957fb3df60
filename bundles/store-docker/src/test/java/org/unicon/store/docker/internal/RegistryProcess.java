package org.unicon.store.docker.internal;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code docker-registry} (Debian's distribution 2.8) on 127.0.0.1 and a free port,
 * with its own config: open, htpasswd Basic (bcrypt entries from {@code htpasswd -Bbn}), or
 * token auth against a {@link TokenServer}. Its data stays in {@code dir} across restarts.
 */
final class RegistryProcess implements AutoCloseable {
    static final String USER = "probe";
    static final String PASSWORD = "probepass";

    enum Mode { OPEN, BASIC, TOKEN }

    private final Path dir;
    private final Path config;
    private final int port;
    private Process process;

    private RegistryProcess(Path dir, Path config, int port) {
        this.dir = dir;
        this.config = config;
        this.port = port;
    }

    static RegistryProcess start(Path dir, Mode mode, TokenServer tokens) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = freePort();
        String auth = "";
        if (mode == Mode.BASIC) {
            Path htpasswd = dir.resolve("htpasswd");
            Files.writeString(htpasswd, Commands.run("htpasswd", "-Bbn", USER, PASSWORD));
            auth = "auth: { htpasswd: { realm: unicon-basic, path: " + htpasswd + " } }\n";
        } else if (mode == Mode.TOKEN) {
            auth = "auth: { token: { realm: '" + tokens.realm() + "', service: " + TokenServer.SERVICE + ", issuer: "
                    + TokenServer.ISSUER + ", rootcertbundle: " + tokens.certificate() + " } }\n";
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, "version: 0.1\n"
                + "log: { level: warn, accesslog: { disabled: true } }\n"
                + "storage: { filesystem: { rootdirectory: " + dir.resolve("data") + " }, delete: { enabled: true } }\n"
                + "http: { addr: 127.0.0.1:" + port + " }\n" + auth);
        RegistryProcess r = new RegistryProcess(dir, config, port);
        r.launch();
        return r;
    }

    /** Starts the registry process (again, after {@link #kill()}). */
    void launch() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("docker-registry on " + url() + " is still running");
        }
        process = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        Process started = process;
        // Should the test JVM be killed, the registry must not outlive it.
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 200; i++) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            }
            try {
                http.send(HttpRequest.newBuilder(url().resolve("/v2/")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        close();
        throw new IOException("docker-registry did not start listening on " + url());
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** host:port, as image references name it. */
    String host() {
        return "127.0.0.1:" + port;
    }

    /** Kills the registry at once (SIGKILL), as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
