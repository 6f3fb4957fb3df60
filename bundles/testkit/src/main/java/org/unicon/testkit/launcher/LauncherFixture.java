package org.unicon.testkit.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.launcher.LaunchedContainer;
import org.unicon.launcher.Launcher;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.Environment;

/**
 * What launcher tests share, {@link LauncherConformance} and a launcher's own tests alike: a
 * launcher made by {@link #createLauncher}, requests laid out as the core lays them out (sandbox
 * {@code <temp>/work/containers/<id>} with {@code stdout} and {@code stderr}, launcher directory
 * {@code <temp>/run/containers/<id>/launcher}), a marker variable in every container's
 * environment by which the test finds its processes, and the check after every test that none
 * of them is left.
 */
public abstract class LauncherFixture {

    /** Only guards against a hang; no test asserts on time. */
    protected static final Duration GUARD = Duration.ofSeconds(60);

    /** The test's directory: the launcher keeps its own state under it too. */
    @TempDir
    protected Path temp;

    /** The launcher instance under test; after {@link #restart}, the second instance. */
    protected Launcher launcher;

    private final Environment.Variable marker = Environment.Variable.newBuilder()
            .setName("UNICON_CONFORMANCE_RUN").setValue(UUID.randomUUID().toString()).build();
    private final Map<ContainerID, LaunchedContainer> created = new LinkedHashMap<>();
    private final List<String> ids = new ArrayList<>();

    /**
     * A new instance of the launcher, keeping whatever state of its own it has under
     * {@link #temp}. Called before every test, and again on the same directories to stand for
     * the agent after a restart (the earlier instance was {@link #stopLauncher stopped}).
     */
    protected abstract Launcher createLauncher() throws Exception;

    /**
     * The launch info the core (with the isolators this launcher needs) would send for a
     * container running {@code command}: its working directory must be the sandbox (relative
     * paths of the command land there) and its PATH must offer {@code sh}, {@code sleep},
     * {@code touch}, {@code test} and {@code setsid}. The suite adds its marker variable.
     */
    protected abstract ContainerLaunchInfo.Builder launchInfo(String id, CommandInfo command, Path sandbox)
            throws Exception;

    /**
     * Stops an instance as the agent's death would: it stops watching and lets go of its
     * containers, which keep running for the next instance to recover. The default closes it
     * when it is {@link AutoCloseable}.
     */
    protected void stop(Launcher instance) throws Exception {
        if (instance instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /**
     * Whether {@code recover} can find containers the core does not list. The contract lets a
     * launcher that leaves nothing on the host to find them by (like Mesos's posix launcher)
     * report none; such a launcher overrides this with false and the orphan check is skipped.
     */
    protected boolean findsOrphans() {
        return true;
    }

    /**
     * Checks, after every test, once the suite destroyed every container and stopped the
     * launcher, that the launcher left nothing of its own: override to add mounts, cgroups,
     * runtime state (call {@code super}). The suite has already checked that no process is left.
     */
    protected void assertNothingLeft() throws Exception {
    }

    @BeforeEach
    void createTheLauncher() throws Exception {
        launcher = createLauncher();
    }

    @AfterEach
    void destroyEverythingAndCheckNothingIsLeft() throws Exception {
        if (launcher == null && created.isEmpty()) {
            return; // skipped before anything was made
        }
        try {
            if (launcher == null) {
                // The test failed while no instance ran: recover one so that destroy can work.
                launcher = createLauncher();
                launcher.recover(List.copyOf(created.values()));
            }
            for (ContainerID id : created.keySet()) {
                launcher.destroy(id);
            }
        } finally {
            stopLauncher();
        }
        assertEquals(List.of(), processesLeft(), "processes left behind by the test");
        assertNothingLeft();
    }

    /** A fresh container ID (unique, so that leftover checks cannot see another run's objects). */
    protected final String newId(String label) {
        String id = label + "-" + UUID.randomUUID().toString().substring(0, 8);
        ids.add(id);
        return id;
    }

    /** The IDs {@link #newId} made in this test. */
    protected final List<String> ids() {
        return List.copyOf(ids);
    }

    /** The variable every container of this test has in its environment. */
    protected final Environment.Variable marker() {
        return marker;
    }

    protected static CommandInfo shell(String command) {
        return CommandInfo.newBuilder().setShell(true).setValue(command).build();
    }

    /** The container's sandbox, created (with empty stdout and stderr) as the core creates it. */
    protected final Path sandbox(String id) throws IOException {
        Path sandbox = Files.createDirectories(temp.resolve("work/containers").resolve(id));
        for (String file : List.of("stdout", "stderr")) {
            if (!Files.exists(sandbox.resolve(file))) {
                Files.createFile(sandbox.resolve(file));
            }
        }
        return sandbox;
    }

    /** {@link #launchInfo} for container {@code id} running {@code command}, with the marker variable. */
    protected final ContainerLaunchInfo.Builder info(String id, CommandInfo command) throws Exception {
        ContainerLaunchInfo.Builder info = launchInfo(id, command, sandbox(id));
        info.getEnvironmentBuilder().addVariables(marker);
        return info;
    }

    /** The request the core would make for container {@code id} with this launch info. */
    protected final TestLaunchRequest request(String id, ContainerLaunchInfo.Builder info) throws IOException {
        Path sandbox = sandbox(id);
        Path directory = Files.createDirectories(temp.resolve("run/containers").resolve(id).resolve("launcher"));
        return new TestLaunchRequest(ContainerID.newBuilder().setValue(id).build(), info.build(), sandbox,
                sandbox.resolve("stdout"), sandbox.resolve("stderr"), directory);
    }

    /** A request for a new container (ID from {@code label}) running the shell command {@code command}. */
    protected final TestLaunchRequest request(String label, String command) throws Exception {
        String id = newId(label);
        return request(id, info(id, shell(command)));
    }

    /** Creates the container; the suite destroys it after the test. */
    protected final long create(TestLaunchRequest request) throws Exception {
        long pid = launcher.create(request);
        created.put(request.containerId(), TestLaunchedContainer.of(request, pid));
        return pid;
    }

    protected final int awaitExit(ContainerID id) throws Exception {
        return launcher.exit(id).toCompletableFuture().get(GUARD.toSeconds(), TimeUnit.SECONDS);
    }

    /** Creates, starts and waits for the container; returns the raw wait status. */
    protected final int run(TestLaunchRequest request) throws Exception {
        create(request);
        launcher.start(request.containerId());
        return awaitExit(request.containerId());
    }

    /** Stops the current instance (see {@link #stop}); {@link #launcher} is null until the next. */
    protected final void stopLauncher() throws Exception {
        Launcher instance = launcher;
        launcher = null;
        if (instance != null) {
            stop(instance);
        }
    }

    /** Stands for an agent restart: stops this instance, makes another, which recovers {@code launched}. */
    protected final Set<ContainerID> restart(List<LaunchedContainer> launched) throws Exception {
        stopLauncher();
        return restartStopped(launched);
    }

    /** As {@link #restart}, when the instance was stopped already. */
    protected final Set<ContainerID> restartStopped(List<LaunchedContainer> launched) throws Exception {
        launcher = createLauncher();
        return launcher.recover(launched);
    }

    protected static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    /** Polls {@code condition} until it holds; fails only when it never does within {@link #GUARD}. */
    protected static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    protected static void awaitOutput(Path file, String text) throws Exception {
        await("'" + text + "' in " + file, () -> read(file).contains(text));
    }

    /** The live processes of this test's containers: those with the marker in their environment. */
    protected final List<Long> containerProcesses() throws IOException {
        String entry = marker.getName() + "=" + marker.getValue();
        List<Long> pids = new ArrayList<>();
        for (ProcessScan.Proc p : ProcessScan.live()) {
            if (p.environ().contains(entry)) {
                pids.add(p.pid());
            }
        }
        return pids;
    }

    /**
     * Live processes of this test, as "pid command line": those of its containers and whatever
     * names the test's directory on its command line (monitors, runtime helpers).
     */
    protected final List<String> processesLeft() throws IOException {
        String entry = marker.getName() + "=" + marker.getValue();
        List<String> left = new ArrayList<>();
        for (ProcessScan.Proc p : ProcessScan.live()) {
            if (p.environ().contains(entry) || p.cmdline().contains(temp.toString())) {
                left.add(p.pid() + " " + p.cmdline());
            }
        }
        return left;
    }
}
