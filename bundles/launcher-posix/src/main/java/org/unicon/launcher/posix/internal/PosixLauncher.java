package org.unicon.launcher.posix.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.unicon.launcher.ExitStages;
import org.unicon.launcher.LaunchRequest;
import org.unicon.launcher.LaunchedContainer;
import org.unicon.launcher.Launcher;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerStatus;

/**
 * The posix launcher (Mesos's SubprocessLauncher): a container is a session of plain host
 * processes under a per-container monitor ({@code monitor.pl}), which is the container's init,
 * survives the agent and records the command's wait status in the launcher directory.
 *
 * <p>Thread-safe. Operations on one container serialise on its {@link Monitor}; exit stages
 * complete on this launcher's own threads, never on the JDK's process reaper.
 */
public final class PosixLauncher implements Launcher, AutoCloseable {

    private static final Logger LOG = System.getLogger(PosixLauncher.class.getName());

    /** How long reading a gone monitor's recorded status may take (a small local file). */
    private static final long STATUS_TIMEOUT_SECONDS = 10;

    private final String script;
    private final ConcurrentMap<ContainerID, Container> containers = new ConcurrentHashMap<>();
    private final ExitPoller poller = new ExitPoller();
    private final ExecutorService completions;

    /** A known container: its monitor and its exit stages (completed once the status is read). */
    private record Container(Monitor monitor, ExitStages exits) {
    }

    public PosixLauncher() {
        this(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "unicon-posix-launcher-exit");
            t.setDaemon(true);
            return t;
        }));
    }

    /** @param completions reads the statuses of gone monitors and completes exit stages; closed with this launcher */
    PosixLauncher(ExecutorService completions) {
        this.completions = completions;
        try (InputStream in = PosixLauncher.class.getResourceAsStream("monitor.pl")) {
            if (in == null) {
                throw new IllegalStateException("monitor.pl is missing from the posix launcher bundle");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read monitor.pl from the posix launcher bundle", e);
        }
    }

    @Override
    public long create(LaunchRequest request) throws Exception {
        ContainerID id = request.containerId();
        if (containers.containsKey(id)) {
            throw new IllegalStateException("container '" + id.getValue() + "' already exists in the posix launcher");
        }
        Monitor monitor = Monitor.spawn(request, script);
        add(id, monitor);
        LOG.log(Level.INFO, () -> "container '" + id.getValue() + "': created monitor pid "
                + monitor.pid() + ", waiting for start");
        return monitor.pid();
    }

    @Override
    public void start(ContainerID id) throws Exception {
        known(id).monitor().start();
        LOG.log(Level.INFO, () -> "container '" + id.getValue() + "': started");
    }

    @Override
    public CompletionStage<Integer> exit(ContainerID id) {
        Container container = containers.get(id);
        if (container == null) {
            return CompletableFuture.failedFuture(unknown(id));
        }
        return container.exits().stage();
    }

    @Override
    public void kill(ContainerID id, int signal) throws Exception {
        if (signal < 1 || signal > 64) {
            throw new IllegalArgumentException("signal " + signal + " for container '" + id.getValue()
                    + "' is not a signal number (1 to 64)");
        }
        known(id).monitor().signal(signal);
        LOG.log(Level.INFO, () -> "container '" + id.getValue() + "': sent signal " + signal);
    }

    @Override
    public void destroy(ContainerID id) throws Exception {
        Container container = containers.get(id);
        if (container == null) {
            return;
        }
        container.monitor().destroy();
        awaitExitStages(id, container.exits());
        containers.remove(id, container);
        LOG.log(Level.INFO, () -> "container '" + id.getValue() + "': destroyed, no process left");
    }

    /**
     * Reattaches to the monitors of {@code launched}; those that ended while the agent was down
     * report the status they recorded. Reports no orphans, like Mesos's posix launcher: a posix
     * container leaves no kernel object (such as a cgroup) that would let the launcher list the
     * containers on the host, and processes alone cannot be told apart from the host's own.
     */
    @Override
    public Set<ContainerID> recover(List<LaunchedContainer> launched) throws Exception {
        for (LaunchedContainer c : launched) {
            ContainerID id = c.containerId();
            if (containers.containsKey(id)) {
                continue;
            }
            Monitor monitor = Monitor.recover(id.getValue(), c.directory(), poller);
            add(id, monitor);
            LOG.log(Level.INFO, () -> "container '" + id.getValue() + "': recovered monitor pid "
                    + monitor.pid() + (monitor.gone().isDone() ? ", ended while the agent was down" : ", running"));
        }
        return Set.of();
    }

    @Override
    public ContainerStatus status(ContainerID id) throws Exception {
        return ContainerStatus.newBuilder().setExecutorPid((int) known(id).monitor().pid()).build();
    }

    /**
     * Stops watching: pending exit stages fail, containers keep running (the next launcher
     * recovers them); a container not started yet sees its FIFO close and exits, as when the
     * agent dies between create and start.
     */
    @Override
    public void close() {
        for (Container c : containers.values()) {
            c.monitor().abandon();
            c.exits().fail(new IllegalStateException(
                    "the posix launcher stopped; the container keeps running and is recovered on restart"));
        }
        containers.clear();
        poller.close();
        completions.shutdownNow();
    }

    private void add(ContainerID id, Monitor monitor) {
        ExitStages exits = new ExitStages();
        containers.put(id, new Container(monitor, exits));
        monitor.gone().thenRunAsync(() -> {
            try {
                int raw = monitor.readStatus();
                LOG.log(Level.INFO, () -> "container '" + id.getValue() + "': command ended with wait status " + raw);
                exits.complete(raw);
            } catch (IOException | RuntimeException e) {
                exits.fail(e);
            }
        }, completions);
    }

    /**
     * Waits until the status recorded by the gone monitor was read (on {@link #completions}) and
     * every exit stage handed out completed with it: destroy must not return before that.
     */
    private static void awaitExitStages(ContainerID id, ExitStages exits) throws IOException, InterruptedException {
        try {
            exits.await(STATUS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException("container '" + id.getValue() + "': its monitor is gone but its status was"
                    + " not read within " + STATUS_TIMEOUT_SECONDS + " s", e);
        }
    }

    private Container known(ContainerID id) {
        Container container = containers.get(id);
        if (container == null) {
            throw unknown(id);
        }
        return container;
    }

    private static IllegalArgumentException unknown(ContainerID id) {
        return new IllegalArgumentException("container '" + id.getValue() + "' is unknown to the posix launcher");
    }
}
