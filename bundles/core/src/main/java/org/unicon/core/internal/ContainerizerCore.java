package org.unicon.core.internal;

import org.unicon.hostfs.TreeDeleter;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.unicon.containerizer.Containerizer;
import org.unicon.containerizer.ContainerizerException;
import org.unicon.containerizer.ContainerizerException.Kind;
import org.unicon.isolator.Isolator;
import org.unicon.launcher.Launcher;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerState;
import org.unicon.model.ContainerStatus;
import org.unicon.model.ContainerTermination;
import org.unicon.model.Image;
import org.unicon.model.ImageSummary;
import org.unicon.model.PluginInfo;
import org.unicon.model.Resource;
import org.unicon.model.ResourceStatistics;
import org.unicon.model.Value;
import org.unicon.model.agent.Call;
import org.unicon.model.agent.Response;
import org.unicon.store.PullProgress;

/**
 * The containerizer: keeps every container's state and drives launches, kills and destroys
 * through the plugins in {@link PluginRegistry}. Plain Java; the DS component only wires it.
 */
public final class ContainerizerCore implements Containerizer {
    private static final System.Logger LOG = System.getLogger(ContainerizerCore.class.getName());

    private final Paths paths;
    private final CheckpointStore checkpoints = new CheckpointStore();
    private final PluginRegistry plugins;
    /** Runs the destructions that may wait: for a launch step to finish, or for a plugin to register. */
    private final ExecutorService executor;
    /**
     * Runs the destructions that need not wait (the container runs, its plugins are there):
     * bounded, so that destroying 100 containers at once does not start 100 threads. Each idle
     * thread kept some 200 KB: the 100 left from one burst added 18 MB to the agent's RSS
     * during the next (bench/run concurrent).
     */
    private final ThreadPoolExecutor destructions;
    /**
     * Runs isolators' isolate steps, which a launch runs in parallel (Mesos does): bounded, so
     * that a burst of launches does not start a thread per isolator and launch (100 launches
     * made some 900 short-lived threads and 30 MB of stacks); threads end when idle.
     */
    private final ThreadPoolExecutor isolations;
    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private final List<Runnable> closers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile AgentSettings settings;

    public ContainerizerCore(Paths paths, PluginRegistry plugins, AgentSettings settings, ExecutorService executor) {
        this.paths = paths;
        this.plugins = plugins;
        this.settings = settings;
        this.executor = executor;
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        this.isolations = pool(threads, 30, "unicon-isolate-");
        closers.add(isolations::shutdown);
        this.destructions = pool(DESTRUCTION_THREADS, IDLE_THREAD_SECONDS, "unicon-destroy-");
        closers.add(destructions::shutdown);
    }

    /** How long a thread of the core's pools for bursts (destructions, plugin arrivals) waits for more work. */
    static final long IDLE_THREAD_SECONDS = 5;

    /**
     * How many destructions run at once when none has to wait. They mostly wait for the runtime
     * (kill, delete) and the filesystem, so more threads than CPUs; enough that a few containers
     * slow to die do not hold up the others.
     */
    static final int DESTRUCTION_THREADS = 16;

    /**
     * A pool of at most {@code threads} daemon threads named {@code <prefix><n>}, queueing what
     * they cannot run yet; a thread idle for {@code idleSeconds} ends.
     */
    static ThreadPoolExecutor pool(int threads, long idleSeconds, String prefix) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, idleSeconds, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads(prefix));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Daemon threads named {@code <prefix><n>}, for the core's pools. */
    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    Paths paths() {
        return paths;
    }

    CheckpointStore checkpoints() {
        return checkpoints;
    }

    PluginRegistry registry() {
        return plugins;
    }

    ExecutorService executor() {
        return executor;
    }

    /** Where a launch's isolate steps run (see {@link LaunchPipeline}). */
    Executor isolations() {
        return isolations;
    }

    AgentSettings settings() {
        return settings;
    }

    Map<String, Container> table() {
        return containers;
    }

    /** Runs {@code closer} when this core is closed. */
    void onClose(Runnable closer) {
        closers.add(closer);
    }

    /**
     * Stops reacting to plugins coming and going. Containers are not touched: they keep running
     * and the next containerizer recovers them.
     */
    void close() {
        closers.forEach(Runnable::run);
    }

    /** Destroys every container that has not terminated and waits up to {@code seconds} for all. */
    void destroyAll(long seconds) {
        List<CompletableFuture<ContainerTermination>> terminations = new ArrayList<>();
        for (Container container : containers.values()) {
            if (!container.terminated()) {
                synchronized (container) {
                    if (container.destroyMessage == null) {
                        container.destroyMessage = "the agent stopped and was asked to stop its containers";
                    }
                }
                terminations.add(destroy(container));
            }
        }
        LOG.log(Level.INFO, "stopping {0} containers as the agent stops", terminations.size());
        try {
            CompletableFuture.allOf(terminations.toArray(CompletableFuture[]::new)).get(seconds, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.log(Level.WARNING, "containers still being destroyed after {0} s; the next agent finishes it", seconds);
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.log(Level.WARNING, "destroying containers failed: {0}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** New settings apply to launches from now on; running containers keep what they had. */
    void settings(AgentSettings next) {
        settings = next;
    }

    @Override
    public LaunchResult launch(Call.LaunchContainer request) throws ContainerizerException {
        String name = ContainerIds.validate(request.getContainerId());
        if (containers.containsKey(name)) {
            return LaunchResult.ALREADY_LAUNCHED;
        }
        LaunchValidation.validate(request);
        LaunchPipeline.Plan plan = plan(request);
        Container container = new Container(request.getContainerId(), ContainerState.PROVISIONING);
        if (containers.putIfAbsent(name, container) != null) {
            return LaunchResult.ALREADY_LAUNCHED;
        }
        LOG.log(Level.INFO, "container {0}: launching with launcher {1} and isolators {2}", name,
                plan.launcher().name(), plan.isolators().stream().map(Plugin::name).toList());
        Exception failure = null;
        synchronized (container.lifecycle) {
            try {
                new LaunchPipeline(this, container, request, plan).run();
            } catch (Exception e) {
                failure = e;
            }
        }
        if (failure == null) {
            LOG.log(Level.INFO, "container {0}: running, pid {1}", name, container.pid);
            return LaunchResult.LAUNCHED;
        }
        String message = "failed to launch container '" + name + "': " + failure.getMessage();
        LOG.log(Level.WARNING, message);
        synchronized (container) {
            container.launchFailed = true;
            if (container.destroyMessage == null) {
                container.destroyMessage = message;
            }
        }
        destroy(container).join();
        throw new ContainerizerException(Kind.FAILED, message, failure);
    }

    /**
     * Plans the launch; while a configured plugin is not registered (the agent is starting, or
     * its bundle is being installed or upgraded), waits for it up to plugin_wait_seconds.
     */
    private LaunchPipeline.Plan plan(Call.LaunchContainer request) throws ContainerizerException {
        LaunchPlanner planner = new LaunchPlanner(plugins, settings);
        return awaitPlugins(request.getContainerId().getValue(), () -> planner.missing(request),
                () -> planner.plan(request));
    }

    /** A step that needs plugins. */
    interface PluginStep<T> {
        T run() throws ContainerizerException;
    }

    /**
     * Runs {@code step} once nothing in {@code missing} is missing any more, or once
     * plugin_wait_seconds have passed (then the step's own error names what is missing).
     */
    <T> T awaitPlugins(String what, java.util.function.Supplier<List<String>> missing, PluginStep<T> step)
            throws ContainerizerException {
        long wait = settings.pluginWaitSeconds();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(wait);
        while (true) {
            long seen = plugins.additions();
            List<String> absent = missing.get();
            if (absent.isEmpty()) {
                try {
                    return step.run();
                } catch (ContainerizerException e) {
                    // A plugin went away while the step ran (its bundle is being updated): wait for
                    // it as for any other missing one. It may already be back (an addition since the
                    // step began), and then the step runs again at once.
                    boolean away = !missing.get().isEmpty() || plugins.additions() != seen;
                    if (!away || System.nanoTime() > deadline) {
                        throw e;
                    }
                    continue;
                }
            }
            LOG.log(Level.INFO, "{0}: waiting for {1} to register", what, String.join(", ", absent));
            try {
                if (!plugins.awaitAddition(seen, deadline)) {
                    try {
                        return step.run();
                    } catch (ContainerizerException e) {
                        throw new ContainerizerException(e.kind(), e.getMessage() + " (waited " + wait + " s for "
                                + String.join(", ", absent) + " to register)", e);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerizerException(Kind.FAILED, "interrupted while waiting for "
                        + String.join(", ", absent) + " to register", e);
            }
        }
    }

    /** Hooks the end of a running container: its command's exit, and every isolator's limits. */
    void watch(Container container, List<Plugin<Isolator>> isolators, Launcher launcher) {
        isolators.forEach(isolator -> watchLimit(container, isolator));
        launcher.exit(container.id).whenComplete((status, error) -> {
            if (error != null && !plugins.launchers.all().stream().anyMatch(l -> l.service() == launcher)) {
                // The launcher went away (agent stop, bundle update): the container runs on and
                // is reattached when a launcher of that name registers again.
                LOG.log(Level.INFO, "container {0}: its launcher stopped; it keeps running", container.name);
                return;
            }
            destroy(container);
        });
    }

    /**
     * Destroys the container when the isolator reports a limitation; once per isolator service,
     * so that a new version of the isolator (a bundle update) is watched again.
     */
    void watchLimit(Container container, Plugin<Isolator> isolator) {
        synchronized (container) {
            if (!container.watched.add(isolator.service())) {
                return;
            }
        }
        isolator.service().watch(container.id).thenAccept(limitation -> {
            LOG.log(Level.WARNING, "container {0}: isolator {1} reports a limitation: {2}", container.name,
                    isolator.name(), limitation.getMessage());
            synchronized (container) {
                if (container.limitation == null) {
                    container.limitation = limitation;
                }
            }
            destroy(container);
        });
    }

    @Override
    public Optional<CompletionStage<ContainerTermination>> wait(ContainerID id) {
        Container container = containers.get(id.getValue());
        return container == null ? Optional.empty() : Optional.of(container.termination.copy());
    }

    @Override
    public boolean kill(ContainerID id, int signal) throws ContainerizerException {
        Container container = containers.get(ContainerIds.validate(id));
        if (container == null || container.terminated()) {
            return false;
        }
        Plugin<Launcher> launcher;
        synchronized (container) {
            container.killRequested = true;
            launcher = container.state == ContainerState.RUNNING && signal != WaitStatus.SIGKILL
                    ? launcherOf(container).orElse(null) : null;
        }
        if (launcher == null) {
            LOG.log(Level.INFO, "container {0}: destroying on kill with signal {1}", container.name, signal);
            destroy(container);
            return true;
        }
        LOG.log(Level.INFO, "container {0}: sending signal {1}", container.name, signal);
        try {
            launcher.service().kill(id, signal);
        } catch (Exception e) {
            throw new ContainerizerException(Kind.FAILED, "could not send signal " + signal + " to container '"
                    + container.name + "': " + e.getMessage(), e);
        }
        return true;
    }

    @Override
    public Optional<CompletionStage<ContainerTermination>> destroy(ContainerID id) {
        Container container = containers.get(id.getValue());
        return container == null ? Optional.empty() : Optional.of(destroy(container).copy());
    }

    /** Destroys the container once; later calls share the first one's termination. */
    CompletableFuture<ContainerTermination> destroy(Container container) {
        synchronized (container) {
            if (container.destroying == null) {
                container.destroying = container.termination;
                // A destruction that may wait (for the launch step in progress, or for a plugin)
                // gets a thread of its own, so that it holds up no other.
                boolean mayWait = launching(container.state()) || !Destruction.missingPlugins(this, container).isEmpty();
                (mayWait ? executor : destructions).execute(() -> new Destruction(this, container).run());
            }
            return container.termination;
        }
    }

    /** States in which a launch step may hold the container's lifecycle lock. */
    private static boolean launching(ContainerState state) {
        return switch (state) {
            case PROVISIONING, PREPARING, ISOLATING, FETCHING -> true;
            default -> false;
        };
    }

    @Override
    public void remove(ContainerID id) throws ContainerizerException {
        String name = ContainerIds.validate(id);
        Container container = known(name);
        if (!container.terminated()) {
            throw new ContainerizerException(Kind.CONFLICT, "container '" + name + "' is "
                    + container.state().name().toLowerCase() + "; kill it before removing it");
        }
        try {
            // The sandbox first: a crash in between leaves a terminated container to remove again.
            TreeDeleter.delete(paths.sandbox(name));
            TreeDeleter.delete(paths.runtime(name));
        } catch (java.io.IOException e) {
            throw new ContainerizerException(Kind.FAILED, "could not remove container '" + name + "': "
                    + e.getMessage(), e);
        }
        containers.remove(name, container);
        LOG.log(Level.INFO, "container {0}: removed", name);
    }

    @Override
    public void update(ContainerID id, List<Resource> resources, Map<String, Value.Scalar> limits)
            throws ContainerizerException {
        Container container = running(id);
        LaunchValidation.validateResources(resources, limits);
        for (Plugin<Isolator> isolator : isolatorsOf(container)) {
            try {
                isolator.service().update(id, resources, limits);
            } catch (Exception e) {
                throw new ContainerizerException(Kind.FAILED, "isolator '" + isolator.name()
                        + "' could not update container '" + container.name + "': " + e.getMessage(), e);
            }
        }
    }

    @Override
    public ResourceStatistics usage(ContainerID id) throws ContainerizerException {
        Container container = running(id);
        ResourceStatistics.Builder usage = ResourceStatistics.newBuilder();
        for (Plugin<Isolator> isolator : isolatorsOf(container)) {
            try {
                usage.mergeFrom(isolator.service().usage(id));
            } catch (Exception e) {
                throw new ContainerizerException(Kind.FAILED, "isolator '" + isolator.name()
                        + "' could not read the usage of container '" + container.name + "': " + e.getMessage(), e);
            }
        }
        return usage.setTimestamp(System.currentTimeMillis() / 1000.0).build();
    }

    @Override
    public ContainerStatus status(ContainerID id) throws ContainerizerException {
        Container container = known(ContainerIds.validate(id));
        ContainerStatus.Builder status = ContainerStatus.newBuilder().setContainerId(container.id);
        if (container.terminated()) {
            return status.build();
        }
        try {
            Optional<Plugin<Launcher>> launcher = launcherOf(container);
            if (launcher.isPresent() && container.pid != null) {
                status.mergeFrom(launcher.get().service().status(id));
            }
            for (Plugin<Isolator> isolator : isolatorsOf(container)) {
                status.mergeFrom(isolator.service().status(id));
            }
        } catch (Exception e) {
            throw new ContainerizerException(Kind.FAILED, "could not read the status of container '"
                    + container.name + "': " + e.getMessage(), e);
        }
        return status.setContainerId(container.id).build();
    }

    @Override
    public List<Response.GetContainers.Container> containers() {
        List<Container> all = new ArrayList<>(containers.values());
        all.sort(Comparator.comparing(c -> c.name));
        List<Response.GetContainers.Container> out = new ArrayList<>();
        for (Container container : all) {
            out.add(ContainerViews.describe(this, container));
        }
        return out;
    }

    @Override
    public Optional<Path> sandbox(ContainerID id) {
        Container container = containers.get(id.getValue());
        return container == null ? Optional.empty() : Optional.of(paths.sandbox(container.name));
    }

    @Override
    public ImageSummary pull(Image image, PullProgress progress) throws ContainerizerException {
        return new ImageCatalog(this).pull(image, progress);
    }

    @Override
    public List<ImageSummary> images() throws ContainerizerException {
        return new ImageCatalog(this).images();
    }

    @Override
    public void prune(List<Image> excluded) throws ContainerizerException {
        new ImageCatalog(this).prune(excluded);
    }

    @Override
    public List<PluginInfo> plugins() {
        return PluginReport.describe(plugins, settings);
    }

    Optional<Plugin<Launcher>> launcherOf(Container container) {
        return container.checkpoint == null ? Optional.empty()
                : plugins.launchers.get(container.checkpoint.getLauncher().getName());
    }

    /** The isolators this container was prepared with that are registered now, in prepare order. */
    List<Plugin<Isolator>> isolatorsOf(Container container) {
        List<Plugin<Isolator>> out = new ArrayList<>();
        container.isolators().forEach(ref -> plugins.isolators.get(ref.getName()).ifPresent(out::add));
        return out;
    }

    private Container known(String name) throws ContainerizerException {
        Container container = containers.get(name);
        if (container == null) {
            throw new ContainerizerException(Kind.NOT_FOUND, "container '" + name + "' is unknown");
        }
        return container;
    }

    private Container running(ContainerID id) throws ContainerizerException {
        Container container = known(ContainerIds.validate(id));
        if (container.state() != ContainerState.RUNNING) {
            throw new ContainerizerException(Kind.CONFLICT, "container '" + container.name + "' is "
                    + container.state().name().toLowerCase() + ", not running");
        }
        return container;
    }
}
