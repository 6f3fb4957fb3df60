package org.unicon.isolator.cni.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.unicon.testkit.network.StandInHost;

/**
 * A container's process as the isolator sees it: a real process in a network namespace of its
 * own ({@code unshare --net}, which execs the command, so the pid is the command's), standing in
 * for the init that the linux launcher creates with CLONE_NEWNET. Commands run "in the
 * container" with {@code nsenter --net=/proc/<pid>/ns/net}.
 */
final class NetnsProcess implements AutoCloseable {
    private final Process process;

    private NetnsProcess(Process process) {
        this.process = process;
    }

    static NetnsProcess start(String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("unshare", "--net", "--"));
        argv.addAll(List.of(command));
        Process process = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        NetnsProcess started = new NetnsProcess(process);
        try {
            started.awaitOwnNamespace();
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e instanceof IOException io ? io : new IOException(e);
        }
        return started;
    }

    /**
     * Waits until unshare(2) has run: until then the process is still in the test's namespace
     * (as a container is not, once the launcher reports its pid).
     */
    private void awaitOwnNamespace() throws IOException, InterruptedException {
        Object own = Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino");
        for (int attempt = 0; attempt < 500; attempt++) {
            if (!process.isAlive()) {
                throw new IOException("unshare --net exited with " + process.exitValue());
            }
            if (!own.equals(Files.getAttribute(namespace(), "unix:ino"))) {
                return;
            }
            Thread.sleep(10);
        }
        throw new IOException("process " + pid() + " did not get a network namespace of its own");
    }

    /** A busybox HTTP server on port 80 serving {@code www}. */
    static NetnsProcess httpd(Path www) throws IOException {
        return start("busybox", "httpd", "-f", "-p", "80", "-h", www.toString());
    }

    /** A process that only keeps its namespace busy. */
    static NetnsProcess idle() throws IOException {
        return start("busybox", "sleep", "100000");
    }

    long pid() {
        return process.pid();
    }

    Path namespace() {
        return Path.of("/proc", Long.toString(pid()), "ns", "net");
    }

    /** Runs a command in this process's network namespace; returns stdout, fails on a non-zero exit. */
    String exec(String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + namespace()));
        argv.addAll(List.of(command));
        return StandInHost.run(argv.toArray(String[]::new));
    }

    /** Kills the process and waits until it is gone, as the launcher does before cleanup. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }
}
