package org.unicon.itests.system;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real agent, started as a user starts one ({@code bin/unicon agent}) with its own
 * configuration directory: work and runtime directories under {@code dir}, a free loopback port.
 */
final class Agent implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final Process process;
    private final long coldStartMillis;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private Agent(Path dir, int port, Process process, long coldStartMillis) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.coldStartMillis = coldStartMillis;
    }

    /**
     * The cgroups root of the test agent working in {@code dir}: not the shipped one, and one per
     * agent directory, because an agent destroys the cgroups under its root that none of its
     * containers owns: an agent running beside the tests (or another test run) must not lose its
     * containers to them, nor they theirs.
     */
    static String cgroupsRoot(Path dir) {
        return "unicon-it-" + dir.getFileName();
    }

    /** The shipped runtime's settings for running Docker images. */
    static final String IMAGE_SETTINGS = "image_providers = DOCKER\nlauncher = linux\n"
            + "isolation = filesystem/linux,docker/runtime,namespaces/pid,namespaces/ipc,cgroups/cpu,cgroups/mem,"
            + "cgroups/pids\n";

    /**
     * Starts an agent configured as the shipped runtime is for Docker images, whose store reads a
     * busybox archive that the project's own set-up script builds in {@code dir/images}.
     */
    static Agent startWithBusybox(Path dir) throws Exception {
        return startWithBusybox(dir, "", java.util.Map.of());
    }

    /**
     * As {@link #startWithBusybox(Path)}, with more lines for unicon.agent.cfg and more variables
     * in the agent's environment; again on the same {@code dir}, it restarts that agent.
     */
    static Agent startWithBusybox(Path dir, String agentSettings, java.util.Map<String, String> environment)
            throws Exception {
        Path images = dir.resolve("images");
        if (!Files.isDirectory(images)) {
            Files.createDirectories(images);
            Process build = new ProcessBuilder(Repository.root().resolve("bin/lib/busybox-image").toString(),
                    images.toString()).inheritIO().start();
            if (build.waitFor() != 0) {
                throw new AssertionError("bin/lib/busybox-image exited with " + build.exitValue());
            }
        }
        return start(dir, IMAGE_SETTINGS + agentSettings, java.util.Map.of("unicon.store.docker.cfg",
                "docker_registry = " + images + "\ndocker_store_dir = " + dir.resolve("store") + "\n"), environment);
    }

    /** Deletes a test's temporary directory tree (nothing of it is mounted any more). */
    static void deleteTree(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Starts an agent and returns once it answers GET_HEALTH as healthy. */
    static Agent start(Path dir) throws Exception {
        return start(dir, "", java.util.Map.of());
    }

    /**
     * Starts an agent with more lines for unicon.agent.cfg and more configuration files
     * (file name → content), and returns once it answers GET_HEALTH as healthy.
     */
    static Agent start(Path dir, String agentSettings, java.util.Map<String, String> configs) throws Exception {
        return start(dir, agentSettings, configs, java.util.Map.of());
    }

    static Agent start(Path dir, String agentSettings, java.util.Map<String, String> configs,
            java.util.Map<String, String> environment) throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        int port = freePort();
        Files.writeString(etc.resolve("unicon.agent.cfg"),
                "work_dir = " + dir.resolve("work") + "\nruntime_dir = " + dir.resolve("run") + "\n" + agentSettings);
        for (var config : configs.entrySet()) {
            Files.writeString(etc.resolve(config.getKey()), config.getValue());
        }
        Files.writeString(etc.resolve("unicon.agent.http.cfg"), "address = 127.0.0.1:" + port + "\n");
        Files.copy(Repository.root().resolve("runtime/etc/org.apache.felix.fileinstall-deploy.cfg"),
                etc.resolve("org.apache.felix.fileinstall-deploy.cfg"), StandardCopyOption.REPLACE_EXISTING);
        String launcher = Files.readString(Repository.root().resolve("runtime/etc/unicon.launcher.linux.cfg"));
        Files.writeString(etc.resolve("unicon.launcher.linux.cfg"),
                launcher.replaceAll("(?m)^cgroups_root = .*$", "cgroups_root = " + cgroupsRoot(dir)));
        if (!configs.containsKey("unicon.isolator.cgroups.cfg")) {
            Files.writeString(etc.resolve("unicon.isolator.cgroups.cfg"), "cgroups_root = " + cgroupsRoot(dir) + "\n");
        }

        ProcessBuilder builder = new ProcessBuilder(Repository.unicon().toString(), "agent",
                "--etc", etc.toString(), "--data", dir.resolve("data").toString(),
                "--deploy", dir.resolve("deploy").toString())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.log").toFile()));
        builder.environment().put("UNICON_BUILD", "never");
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process = builder.start();
        Agent agent = new Agent(dir, port, process, 0);
        long deadline = System.currentTimeMillis() + 120_000;
        while (!agent.healthy()) {
            if (!process.isAlive()) {
                throw new AssertionError("the agent exited with " + process.exitValue() + "; its log:\n" + agent.log());
            }
            if (System.currentTimeMillis() > deadline) {
                agent.close();
                throw new AssertionError("the agent was not healthy within 120 s; its log:\n" + agent.log());
            }
            Thread.sleep(20);
        }
        return new Agent(dir, port, process, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** A loopback port that nobody listened on a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** Kills the agent with SIGKILL, as a crash would, and waits until it is gone. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the agent did not die of SIGKILL within 30 s");
        }
    }

    /** Waits until the agent process ends by itself (a crash point); its exit status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            try {
                throw new AssertionError("the agent did not exit within 120 s; its log:\n" + log());
            } catch (IOException e) {
                throw new AssertionError("the agent did not exit within 120 s", e);
            }
        }
        return process.exitValue();
    }

    long coldStartMillis() {
        return coldStartMillis;
    }

    Path dir() {
        return dir;
    }

    /** POSTs a body to /api/v1 as it is, with the given content type; answers in JSON. */
    HttpResponse<String> post(String contentType, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address() + "/api/v1"))
                .header("Content-Type", contentType)
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    boolean healthy() throws InterruptedException {
        try {
            HttpResponse<String> response = post("application/json", "{\"type\":\"GET_HEALTH\"}");
            return response.statusCode() == 200 && response.body().replace(" ", "").contains("\"healthy\":true");
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    String log() throws IOException {
        Path log = dir.resolve("agent.log");
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    /** SIGTERM, as an init system stops it; returns the exit code once it has stopped. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the agent did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Kills the agent if a test left it running (SIGKILL: the tests already failed). */
    @Override
    public void close() {
        destroyContainers();
        if (process.isAlive()) {
            try {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Kills and removes every container the agent still has, so that a failed test leaves no
     * container running (the agent itself leaves containers running when it stops, as Mesos does).
     */
    private void destroyContainers() {
        if (!process.isAlive()) {
            return;
        }
        try {
            String listed = post("application/json",
                    "{\"type\":\"GET_CONTAINERS\",\"get_containers\":{\"show_standalone\":true}}").body();
            java.util.regex.Matcher ids = java.util.regex.Pattern
                    .compile("\"container_id\":\\s*\\{\\s*\"value\":\\s*\"([^\"]+)\"").matcher(listed);
            while (ids.find()) {
                String id = "{\"container_id\":{\"value\":\"" + ids.group(1) + "\"}}";
                post("application/json", "{\"type\":\"KILL_CONTAINER\",\"kill_container\":" + id + "}");
                post("application/json", "{\"type\":\"WAIT_CONTAINER\",\"wait_container\":" + id + "}");
                post("application/json", "{\"type\":\"REMOVE_CONTAINER\",\"remove_container\":" + id + "}");
            }
        } catch (IOException e) {
            // The agent is gone already: the test's own leak checks report what it left.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
