package org.unicon.launcher.linux.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An OCI runtime's command line (runc, crun, or crun through the hybrid-cgroup wrapper), always
 * with a state root of our own ({@code --root}), so that {@link #list} sees only this agent's
 * containers and never touches another tool's (Docker's, podman's) state.
 *
 * <p>Containers are created (and probe containers run) with {@code executable}; every other
 * command ({@code start}, {@code kill}, {@code delete}, {@code list}) runs {@code control}. They
 * differ only for crun on a hybrid cgroup host: crun 1.8 refuses to create a container there
 * (its cgroup setup checks cgroup2's controllers) and needs the wrapper, but starts, signals,
 * deletes and lists containers as it is — without the wrapper's three extra processes
 * ({@code sh}, {@code unshare}, {@code mount}), about 6 ms per call.
 *
 * @param name what the runtime is, for messages and records: {@code runc} or {@code crun}
 * @param executable what creates containers: the runtime binary or the wrapper script (conmon's
 *            {@code -r})
 * @param root the runtime's state directory
 * @param control what runs every other command: the runtime binary
 */
record RuntimeCli(String name, Path executable, Path root, Path control) {

    /** A runtime that runs every command with the same executable. */
    RuntimeCli(String name, Path executable, Path root) {
        this(name, executable, root, executable);
    }

    /** A runtime command that takes longer than this is hung (runc kill/delete take milliseconds). */
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Mesos's {@code os::host_default_path()}: what the runtime and conmon get as PATH. */
    static final String HOST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOGRUS_MESSAGE = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** What a finished command said. */
    record Result(int exitCode, String stdout, String stderr) {

        boolean ok() {
            return exitCode == 0;
        }

        /** The runtime's error in one line: runc's logrus {@code msg="..."}, or the raw text. */
        String error() {
            Matcher m = LOGRUS_MESSAGE.matcher(stderr);
            String last = null;
            while (m.find()) {
                last = m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
            }
            String text = last != null ? last : stderr.strip();
            return text.isEmpty() ? "exit code " + exitCode : text;
        }
    }

    /** One container in the runtime's state (from {@code list --format json}). */
    record State(String id, long pid, String status, String bundle) {
    }

    /** The global arguments of a command that creates or runs a container: the executable and {@code --root}. */
    List<String> prefix() {
        return List.of(executable.toString(), "--root", root.toString());
    }

    /** The global arguments of every other command: the control binary and {@code --root}. */
    List<String> controlPrefix() {
        return List.of(control.toString(), "--root", root.toString());
    }

    /** Lets a created container run its command. */
    void start(String id) throws IOException {
        Result r = invoke("start", id);
        if (!r.ok()) {
            throw new IOException("container '" + id + "' cannot be started by " + name + ": " + r.error());
        }
    }

    /** Sends {@code signal} to the container's init, or with {@code all} to every process in it. */
    Result kill(String id, int signal, boolean all) throws IOException {
        return all ? invoke("kill", "--all", id, Integer.toString(signal))
                : invoke("kill", id, Integer.toString(signal));
    }

    /** Removes the container's state and cgroups, killing what is left; nothing if it is unknown. */
    void delete(String id) throws IOException {
        Result r = invoke("delete", "--force", id);
        if (!r.ok() && state(id).isPresent()) {
            throw new IOException("the " + name + " state of container '" + id + "' cannot be deleted: " + r.error());
        }
    }

    Optional<State> state(String id) throws IOException {
        return list().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** The containers in our state root. */
    List<State> list() throws IOException {
        if (!root.toFile().isDirectory()) {
            return List.of();
        }
        Result r = invoke("list", "--format", "json");
        if (!r.ok()) {
            throw new IOException("cannot list the containers of " + name + " in " + root + ": " + r.error());
        }
        List<State> states = new ArrayList<>();
        String out = r.stdout().strip();
        if (out.isEmpty() || out.equals("null")) {
            return states; // runc prints null for none
        }
        for (JsonNode n : JSON.readTree(out)) {
            states.add(new State(n.path("id").asText(), n.path("pid").asLong(), n.path("status").asText(),
                    n.path("bundle").asText()));
        }
        return states;
    }

    private Result invoke(String... args) throws IOException {
        List<String> argv = new ArrayList<>(controlPrefix());
        argv.addAll(List.of(args));
        return run(argv, TIMEOUT);
    }

    /** Runs a host command with only PATH in its environment and collects what it writes. */
    static Result run(List<String> argv, Duration timeout) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().clear();
        builder.environment().put("PATH", HOST_PATH);
        builder.redirectInput(Redirect.from(new File("/dev/null")));
        Process p;
        try {
            p = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        String out = readAll(p.getInputStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killAndAwait(p);
                throw new IOException(String.join(" ", argv) + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(p.exitValue(), out, err.join());
        } catch (InterruptedException e) {
            killAndAwait(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv.get(0), e);
        }
    }

    /**
     * SIGKILL, then waits (uninterruptibly, up to 10 s) until the process is gone: a runtime that
     * outlived its caller would go on creating cgroups after the caller's cleanup had looked.
     */
    private static void killAndAwait(Process p) {
        p.destroyForcibly();
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (p.isAlive() && System.nanoTime() < deadline) {
            try {
                p.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException again) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
