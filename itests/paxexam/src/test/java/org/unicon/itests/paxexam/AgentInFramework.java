package org.unicon.itests.paxexam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.unicon.containerizer.Containerizer;
import org.unicon.isolator.Isolator;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerState;
import org.unicon.model.ContainerTermination;
import org.unicon.model.agent.Call;

/**
 * The agent's containerizer inside the test framework, configured through Config Admin as
 * FileInstall configures the real agent: posix launcher, work and runtime directories in a
 * temporary directory, the cgroups isolators on a root of their own (they destroy cgroups under
 * their root that no container of theirs owns, so they must not use the shipped one, which a real
 * agent on this machine may own), network/cni on a root directory in the temporary directory.
 *
 * <p>network/cni fixes its root directory when it activates; it activates before any
 * configuration arrives (its configuration is optional), and Felix SCR gives a component with two
 * configuration PIDs (it also reads unicon.agent's runtime_dir) its configuration at activation
 * only once both exist. Left alone it would keep the shipped agent's
 * /run/unicon/isolators/network/cni and, when the core recovers it, detach the networks it finds
 * there that this agent does not own. So its bundle is stopped while both configurations are
 * written and started again afterwards. {@link #close} destroys and removes every container, checks
 * that none of their processes is left, and deletes the configuration and the directory.
 */
final class AgentInFramework {
    static final String CGROUPS_ROOT = "unicon-paxexam";
    /** How long any wait in these tests may take before it counts as a failure (not a timing check). */
    static final long PATIENCE_SECONDS = 60;

    private final BundleContext context;
    private final Path dir;
    private final Configuration agent;
    private final Configuration cgroups;
    private final Configuration cni;
    private final ServiceTracker<Containerizer, Containerizer> tracker;
    private final List<Long> pids = new ArrayList<>();

    AgentInFramework(BundleContext context, ConfigurationAdmin configurationAdmin, Map<String, Object> agentSettings)
            throws Exception {
        this.context = context;
        this.dir = Files.createTempDirectory("unicon-paxexam");
        cgroups = configurationAdmin.getConfiguration("unicon.isolator.cgroups", "?");
        cni = configurationAdmin.getConfiguration("unicon.isolator.cni", "?");
        agent = configurationAdmin.getConfiguration("unicon.agent", "?");
        tracker = new ServiceTracker<>(context, Containerizer.class, null);
        tracker.open();
        Bundle cniBundle = bundle(context, "org.unicon.isolator.cni");
        try {
            cgroups.update(new Hashtable<>(Map.of("cgroups_root", CGROUPS_ROOT)));
            await("the cgroups isolators use cgroups_root " + CGROUPS_ROOT, this::cgroupsIsolatorsReconfigured);
            cniBundle.stop();
            String cniRoot = dir.resolve("cni").toString();
            cni.update(new Hashtable<>(Map.of("network_cni_root_dir", cniRoot)));
            configure(agentSettings);
            cniBundle.start();
            await("network/cni uses network_cni_root_dir " + cniRoot, () -> cniRoot(cniRoot));
            await("the containerizer registers once unicon.agent is configured", () -> tracker.getService() != null);
        } catch (Exception | AssertionError e) {
            try {
                if (cniBundle.getState() != Bundle.ACTIVE) {
                    cniBundle.start();
                }
                close();
            } catch (Exception | AssertionError suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Replaces unicon.agent's configuration: the directories plus {@code agentSettings}. */
    void configure(Map<String, Object> agentSettings) throws IOException {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("work_dir", dir.resolve("work").toString());
        properties.put("runtime_dir", dir.resolve("run").toString());
        properties.put("launcher", "posix");
        properties.putAll(agentSettings);
        agent.update(properties);
    }

    Containerizer containerizer() {
        Containerizer containerizer = tracker.getService();
        if (containerizer == null) {
            throw new AssertionError("the Containerizer service is not registered");
        }
        return containerizer;
    }

    ServiceReference<Containerizer> containerizerReference() {
        return tracker.getServiceReference();
    }

    /** Launches {@code sleep 600} as container {@code name} and remembers its pid for {@link #close}. */
    long launchSleeper(String name) throws Exception {
        Containerizer.LaunchResult result = containerizer().launch(launch(name, "exec sleep 600"));
        if (result != Containerizer.LaunchResult.LAUNCHED) {
            throw new AssertionError("container " + name + ": " + result);
        }
        long pid = pid(name);
        // The posix launcher's monitor forks the command once it is told to start.
        await("container " + name + "'s monitor forks its command", () -> {
            try {
                return processes(name).size() >= 2;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        pids.addAll(processes(name).keySet());
        return pid;
    }

    /**
     * The container's processes, pid → start time: the one the core checkpointed (the posix
     * launcher's monitor) and its descendants (the command). The same map later means that no
     * process of the container was restarted.
     */
    Map<Long, Long> processes(String name) throws IOException {
        Map<Long, Long> tree = new java.util.TreeMap<>();
        java.util.ArrayDeque<Long> todo = new java.util.ArrayDeque<>(List.of(pid(name)));
        while (!todo.isEmpty()) {
            long pid = todo.pop();
            tree.put(pid, startTime(pid));
            Path children = Path.of("/proc/" + pid + "/task/" + pid + "/children");
            for (String child : Files.readString(children).trim().split(" ")) {
                if (!child.isEmpty()) {
                    todo.push(Long.parseLong(child));
                }
            }
        }
        return tree;
    }

    static Call.LaunchContainer launch(String name, String command) {
        return Call.LaunchContainer.newBuilder().setContainerId(id(name))
                .setCommand(CommandInfo.newBuilder().setValue(command)).build();
    }

    static ContainerID id(String name) {
        return ContainerID.newBuilder().setValue(name).build();
    }

    ContainerState state(String name) {
        return containerizer().containers().stream().filter(c -> c.getContainerId().getValue().equals(name))
                .findFirst().map(c -> c.getState()).orElseThrow(() -> new AssertionError("container " + name
                        + " is not listed"));
    }

    /** The pid the core checkpointed for the container (what it reattaches to after a restart). */
    long pid(String name) throws IOException {
        return Long.parseLong(Files.readString(runtimeDir(name).resolve("pid")).strip());
    }

    /** When the process started, in clock ticks since boot (/proc/PID/stat field 22): a restart changes it. */
    static long startTime(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[19]);
    }

    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    Path sandbox(String name) {
        return dir.resolve("work/containers").resolve(name);
    }

    Path runtimeDir(String name) {
        return dir.resolve("run/containers").resolve(name);
    }

    /** The test isolator's journal for the container (see the versioned package). */
    List<String> journal(String name) throws IOException {
        Path journal = sandbox(name).resolve(org.unicon.itests.paxexam.versioned.Journal.FILE);
        return Files.exists(journal) ? Files.readAllLines(journal) : List.of();
    }

    ContainerTermination destroy(String name) throws Exception {
        return containerizer().destroy(id(name)).orElseThrow().toCompletableFuture()
                .get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    }

    void close() throws Exception {
        try {
            Containerizer containerizer = tracker.getService();
            if (containerizer != null) {
                for (var container : containerizer.containers()) {
                    if (container.getState() != ContainerState.TERMINATED) {
                        destroy(container.getContainerId().getValue());
                    }
                    containerizer.remove(container.getContainerId());
                }
            }
            for (long pid : pids) {
                if (alive(pid)) {
                    throw new AssertionError("process " + pid + " of a destroyed container is still running");
                }
            }
        } finally {
            deleteIfPresent(agent);
            await("the containerizer unregisters once unicon.agent is deleted", () -> tracker.getService() == null);
            tracker.close();
            deleteIfPresent(cgroups);
            deleteIfPresent(cni);
            deleteTree(dir);
        }
    }

    /** Deletes a configuration unless it was never written (getConfiguration alone stores nothing). */
    private static void deleteIfPresent(Configuration configuration) throws IOException {
        if (configuration.getProperties() != null) {
            configuration.delete();
        }
    }

    private boolean cniRoot(String root) {
        try {
            return context.getServiceReferences(Isolator.class, "(" + Isolator.NAME + "=network/cni)").stream()
                    .anyMatch(ref -> root.equals(ref.getProperty("network_cni_root_dir")));
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Bundle bundle(BundleContext context, String symbolicName) {
        return java.util.Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError("no bundle " + symbolicName + " is installed"));
    }

    private boolean cgroupsIsolatorsReconfigured() {
        try {
            var refs = context.getServiceReferences(Isolator.class, "(" + Isolator.NAME + "=cgroups/*)");
            if (refs.size() < 3) {
                return false;
            }
            for (ServiceReference<Isolator> ref : refs) {
                if (!CGROUPS_ROOT.equals(ref.getProperty("cgroups_root"))) {
                    return false;
                }
            }
            return true;
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still waiting after " + PATIENCE_SECONDS + " s: " + what);
            }
            Thread.sleep(20);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
