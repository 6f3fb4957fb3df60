package org.unicon.testkit.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace the test creates to stand in for the host: the CNI plugins run in it, so
 * that their bridge, veths and iptables rules, and every packet of the tests, stay out of the
 * machine's root network namespace. The isolator under test is unchanged: it is pointed at a
 * plugin directory of wrappers, one per real plugin of /usr/lib/cni, that each run the real
 * plugin with {@code nsenter --net=<this namespace>} (the containers' own namespaces are reached
 * through CNI_NETNS, as always). Closing it deletes the namespace, with whatever is left in it.
 *
 * <p>For the tests of network isolators (ours and vendors') and of agents that run them.
 */
public final class StandInHost implements AutoCloseable {
    public static final Path REAL_PLUGINS = Path.of("/usr/lib/cni");

    private final String name;
    private final Path plugins;

    private StandInHost(String name, Path plugins) {
        this.name = name;
        this.plugins = plugins;
    }

    /** Creates the namespace (loopback up) and the wrapper directory {@code dir}. */
    public static StandInHost create(Path dir) throws IOException, InterruptedException {
        String name = "unicon-cni-" + UUID.randomUUID().toString().substring(0, 8);
        run("ip", "netns", "add", name);
        StandInHost host = new StandInHost(name, Files.createDirectories(dir));
        try {
            host.exec("ip", "link", "set", "lo", "up");
            try (DirectoryStream<Path> real = Files.newDirectoryStream(REAL_PLUGINS)) {
                for (Path plugin : real) {
                    host.wrap(plugin.getFileName().toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            host.close();
            throw e;
        }
        return host;
    }

    /** (Re)writes the wrapper of plugin {@code type}, which runs the real plugin in this namespace. */
    public void wrap(String type) throws IOException {
        Path wrapper = plugins.resolve(type);
        Files.writeString(wrapper, "#!/bin/sh\nexec /usr/bin/nsenter --net=" + namespace() + " "
                + REAL_PLUGINS.resolve(type) + " \"$@\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    public String name() {
        return name;
    }

    public Path namespace() {
        return Path.of("/run/netns", name);
    }

    /** The directory to configure as network_cni_plugins_dir. */
    public Path plugins() {
        return plugins;
    }

    /** Runs a command in this namespace and returns its stdout; fails on a non-zero exit. */
    public String exec(String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + namespace()));
        argv.addAll(List.of(command));
        return run(argv.toArray(String[]::new));
    }

    /** The veth interfaces on the stand-in host's side. */
    public List<String> veths() throws IOException, InterruptedException {
        return exec("ip", "-o", "link", "show", "type", "veth").lines().toList();
    }

    /** The nat table's rules as iptables -S prints them. */
    public String natRules() throws IOException, InterruptedException {
        return exec("iptables", "-w", "-t", "nat", "-S");
    }

    /** Runs a command on the machine; returns stdout, fails with its output on a non-zero exit. */
    public static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not end within 60 s");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": " + out);
        }
        return out;
    }

    /** Deletes the namespace and checks that it is gone. */
    @Override
    public void close() throws IOException {
        try {
            run("ip", "netns", "delete", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // reported by the check below
        }
        assertFalse(Files.exists(namespace()), "the stand-in namespace " + name + " is left");
        try {
            assertEquals(-1, run("ip", "netns", "list").indexOf(name), "ip netns still lists " + name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
