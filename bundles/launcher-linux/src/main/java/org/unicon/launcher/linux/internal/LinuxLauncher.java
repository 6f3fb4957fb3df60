package org.unicon.launcher.linux.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

import org.unicon.launcher.ExitStages;
import org.unicon.launcher.LaunchRequest;
import org.unicon.launcher.LaunchedContainer;
import org.unicon.launcher.Launcher;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerStatus;

/**
 * The linux launcher: each container is an OCI runtime bundle ({@link BundleWriter}) run by an
 * OCI runtime ({@link RuntimeCli}: runc or crun) under conmon ({@link Conmon}), which is the
 * container's monitor, survives the agent and records the exit code. create = {@code runtime
 * create} (the command paused before exec), start = {@code runtime start}; the exit code arrives
 * as a file ({@link ExitWatcher}).
 *
 * <p>The launcher's own state: {@code <state dir>/<runtime>} is the runtime's {@code --root} (so
 * {@code runtime list} sees only this agent's containers); per container, the launcher directory
 * holds {@code bundle/config.json}, {@code monitor.json}, {@code conmon.pid},
 * {@code container.pid} and {@code exits/<id>}. Thread-safe; operations on one container
 * serialise on it.
 */
public final class LinuxLauncher implements Launcher, AutoCloseable {

    private static final Logger LOG = System.getLogger(LinuxLauncher.class.getName());
    /** How long killed processes may take to disappear (Mesos's cgroups_destroy_timeout). */
    private static final long KILL_TIMEOUT_MILLIS = 60_000;

    private final RuntimeCli runtime;
    private final Path conmon;
    private final String cgroupsRoot;
    private final ConcurrentMap<ContainerID, Container> containers = new ConcurrentHashMap<>();
    private final ExitWatcher watcher = new ExitWatcher();

    /** A known container; {@code directory} is null for an orphan whose directory is unknown. */
    private static final class Container {
        final String id;
        final Path directory;
        final RuntimeCli runtime;
        final long conmonPid;
        final long conmonStartTime;
        final long containerPid;
        final ExitStages exits = new ExitStages();

        Container(String id, Path directory, RuntimeCli runtime, long conmonPid, long conmonStartTime,
                long containerPid, CompletableFuture<OptionalInt> code) {
            this.id = id;
            this.directory = directory;
            this.runtime = runtime;
            this.conmonPid = conmonPid;
            this.conmonStartTime = conmonStartTime;
            this.containerPid = containerPid;
            code.whenComplete((recorded, failure) -> {
                if (failure == null) {
                    exits.complete(ExitWatcher.waitStatus(recorded));
                } else {
                    exits.fail(failure);
                }
            });
        }
    }

    /**
     * @param runtime the OCI runtime new containers are created with (see {@link RuntimeChoice})
     * @param conmon the conmon binary
     * @param cgroupsRoot containers' cgroupsPath is {@code /<cgroupsRoot>/<id>}
     */
    public LinuxLauncher(RuntimeCli runtime, Path conmon, String cgroupsRoot) {
        this.runtime = runtime;
        this.conmon = conmon;
        this.cgroupsRoot = cgroupsRoot.replaceAll("^/+|/+$", "");
    }

    @Override
    public long create(LaunchRequest request) throws Exception {
        ContainerID cid = request.containerId();
        String id = cid.getValue();
        if (containers.containsKey(cid)) {
            throw new IllegalStateException("container '" + id + "' already exists in the linux launcher");
        }
        Path dir = Files.createDirectories(request.directory());
        removeOwnFiles(dir, id);
        Path bundle = BundleWriter.write(request, cgroupsPath(id));
        new MonitorRecord(runtime, 0, 0, 0).write(dir);
        Files.createDirectories(runtime.root());
        Conmon.Created created;
        Container c;
        try {
            created = Conmon.start(conmon, runtime, id, bundle, dir, request.stdout(), request.stderr());
            new MonitorRecord(runtime, created.conmonPid(), created.conmonStartTime(), created.containerPid())
                    .write(dir);
            c = new Container(id, dir, runtime, created.conmonPid(), created.conmonStartTime(),
                    created.containerPid(), watcher.watch(dir.resolve(Conmon.EXITS), id, created.conmonPid(),
                            created.conmonStartTime()));
        } catch (Exception e) {
            try {
                abandon(id, dir);
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        containers.put(cid, c);
        LOG.log(Level.INFO, () -> "container '" + id + "': created by " + runtime.name() + " under conmon pid "
                + created.conmonPid() + ", init pid " + created.containerPid() + ", waiting for start");
        return created.containerPid();
    }

    @Override
    public void start(ContainerID id) throws Exception {
        Container c = known(id);
        synchronized (c) {
            c.runtime.start(c.id);
        }
        LOG.log(Level.INFO, () -> "container '" + c.id + "': started");
    }

    @Override
    public CompletionStage<Integer> exit(ContainerID id) {
        Container c = containers.get(id);
        return c == null ? CompletableFuture.failedFuture(unknown(id)) : c.exits.stage();
    }

    @Override
    public void kill(ContainerID id, int signal) throws Exception {
        if (signal < 1 || signal > 64) {
            throw new IllegalArgumentException("signal " + signal + " for container '" + id.getValue()
                    + "' is not a signal number (1 to 64)");
        }
        Container c = known(id);
        if (c.exits.isDone()) {
            return; // it has ended: like kill(2) on a process that is gone
        }
        RuntimeCli.Result r = c.runtime.kill(c.id, signal, false);
        if (!r.ok() && !c.exits.isDone() && c.runtime.state(c.id).filter(s -> !s.status().equals("stopped")).isPresent()) {
            throw new IOException("cannot send signal " + signal + " to container '" + c.id + "': " + r.error());
        }
        LOG.log(Level.INFO, () -> "container '" + c.id + "': sent signal " + signal);
    }

    /**
     * Kills every process of the container ({@code runtime kill --all KILL}), waits until conmon
     * has recorded the end and exited, deletes the runtime's state and cgroups, and removes the
     * launcher's files. Pending exit stages complete before this returns.
     */
    @Override
    public void destroy(ContainerID id) throws Exception {
        Container c = containers.get(id);
        if (c == null) {
            return;
        }
        synchronized (c) {
            long deadline = System.nanoTime() + KILL_TIMEOUT_MILLIS * 1_000_000;
            while (!c.exits.isDone() && System.nanoTime() < deadline) {
                c.runtime.kill(c.id, 9, true); // errors (already stopped, gone) are settled by the wait
                awaitQuietly(c.exits, 1000); // the exit file normally comes within milliseconds
            }
            if (!c.exits.isDone()) {
                LOG.log(Level.WARNING, "container '" + c.id + "': conmon recorded no exit within "
                        + KILL_TIMEOUT_MILLIS / 1000 + " s of SIGKILL; killing conmon");
            }
            awaitConmonGone(c);
            removeState(c.runtime, c.id, c.directory);
            containers.remove(id, c);
        }
        LOG.log(Level.INFO, () -> "container '" + c.id + "': destroyed, nothing of it left");
    }

    /**
     * Reattaches to the containers' conmons; those that ended while the agent was down report
     * the code conmon recorded. Containers in our runtime roots that are not in
     * {@code launched} are orphans: they become known (so that destroy works) and are returned.
     */
    @Override
    public Set<ContainerID> recover(List<LaunchedContainer> launched) throws Exception {
        Set<String> expected = new HashSet<>();
        for (LaunchedContainer l : launched) {
            expected.add(l.containerId().getValue());
            if (!containers.containsKey(l.containerId())) {
                reattach(l.containerId(), l.directory());
            }
        }
        Set<ContainerID> orphans = new LinkedHashSet<>();
        for (RuntimeCli r : roots()) {
            for (RuntimeCli.State s : r.list()) {
                ContainerID cid = ContainerID.newBuilder().setValue(s.id()).build();
                if (expected.contains(s.id()) || containers.containsKey(cid)) {
                    continue;
                }
                Path bundle = Path.of(s.bundle());
                Path dir = bundle.getFileName() != null && bundle.getFileName().toString().equals(BundleWriter.BUNDLE)
                        && Files.exists(bundle.resolveSibling(MonitorRecord.FILE)) ? bundle.getParent() : null;
                if (dir != null) {
                    reattach(cid, dir);
                } else {
                    containers.put(cid, new Container(s.id(), null, r, 0, -1, s.pid(),
                            CompletableFuture.completedFuture(OptionalInt.empty())));
                }
                orphans.add(cid);
                LOG.log(Level.INFO, () -> "container '" + s.id() + "': an orphan in " + r.root() + " ("
                        + s.status() + ")");
            }
        }
        return orphans;
    }

    @Override
    public ContainerStatus status(ContainerID id) throws Exception {
        return ContainerStatus.newBuilder().setExecutorPid((int) known(id).containerPid).build();
    }

    /**
     * Stops watching: pending exit stages fail; containers keep running under their conmon (the
     * next launcher recovers them), including those created but not started yet.
     */
    @Override
    public void close() {
        for (Container c : containers.values()) {
            c.exits.fail(new IllegalStateException(
                    "the linux launcher stopped; the container keeps running and is recovered on restart"));
        }
        containers.clear();
        watcher.close();
    }

    /** The runtime this launcher creates containers with. */
    public RuntimeCli runtime() {
        return runtime;
    }

    private void reattach(ContainerID cid, Path dir) throws IOException {
        String id = cid.getValue();
        Optional<MonitorRecord> record = MonitorRecord.read(id, dir);
        RuntimeCli r = record.map(MonitorRecord::runtime).orElse(runtime);
        long recordedPid = record.map(MonitorRecord::conmonPid).orElse(0L);
        long conmonPid = recordedPid > 0 ? recordedPid : unrecordedConmon(dir, id);
        long start = recordedPid > 0 ? record.get().conmonStartTime()
                : ProcessTable.read(conmonPid).map(ProcessTable.Entry::startTime).orElse(-1L);
        CompletableFuture<OptionalInt> code;
        Path exits = dir.resolve(Conmon.EXITS);
        if (conmonPid > 0 && ProcessTable.isRunning(conmonPid, start) && Files.isDirectory(exits)) {
            code = watcher.watch(exits, id, conmonPid, start);
        } else {
            code = CompletableFuture.completedFuture(ExitWatcher.read(exits.resolve(id)));
        }
        Container c = new Container(id, dir, r, conmonPid, start, record.map(MonitorRecord::containerPid).orElse(0L),
                code);
        containers.put(cid, c);
        LOG.log(Level.INFO, () -> "container '" + id + "': recovered, conmon pid " + conmonPid
                + (code.isDone() ? ", ended while the agent was down" : ", running"));
    }

    /**
     * Undoes a failed create: the runtime's delete kills the container's init if there is one
     * (conmon then records that and exits); a conmon that does not exit is killed.
     */
    private void abandon(String id, Path dir) throws IOException, InterruptedException {
        runtime.delete(id);
        long pid = unrecordedConmon(dir, id);
        long start = ProcessTable.read(pid).map(ProcessTable.Entry::startTime).orElse(-1L);
        for (int i = 0; i < 5000 && ProcessTable.isRunning(pid, start); i++) {
            Thread.sleep(2);
        }
        if (ProcessTable.isRunning(pid, start)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        removeState(runtime, id, dir);
    }

    /**
     * conmon's pid from its own pid file, for an agent that died during create (before the
     * record had it): only if that process is still a conmon working in {@code dir}, so a reused
     * pid is never taken for it. 0 if there is none.
     */
    private static long unrecordedConmon(Path dir, String id) throws IOException {
        long pid = Conmon.readPid(dir.resolve(Conmon.CONMON_PID), id);
        if (pid <= 0) {
            return 0;
        }
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            return cmdline.contains("conmon") && cmdline.contains(dir.toString()) ? pid : 0;
        } catch (IOException e) {
            return 0; // gone
        }
    }

    /** Our runtime root plus roots another runtime setting left containers in. */
    private List<RuntimeCli> roots() throws IOException {
        List<RuntimeCli> roots = new ArrayList<>(List.of(runtime));
        Path state = runtime.root().getParent();
        for (String other : List.of("runc", "crun")) {
            Path root = state.resolve(other);
            if (!root.equals(runtime.root()) && Files.isDirectory(root)) {
                RuntimeChoice.binary(other, "").ifPresent(bin -> roots.add(new RuntimeCli(other, bin, root)));
            }
        }
        return roots;
    }

    private void awaitConmonGone(Container c) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (ProcessTable.isRunning(c.conmonPid, c.conmonStartTime)) {
            if (System.nanoTime() > deadline) {
                ProcessHandle.of(c.conmonPid).ifPresent(ProcessHandle::destroyForcibly);
                deadline = Long.MAX_VALUE;
            }
            Thread.sleep(2);
        }
        c.exits.complete(9); // conmon gone without a record: SIGKILL, per the SPI
    }

    /** Deletes the runtime's state and cgroups of {@code id} and the launcher's files. */
    private void removeState(RuntimeCli r, String id, Path dir) throws IOException, InterruptedException {
        r.delete(id);
        CgroupDirectories.remove(id, cgroupsPath(id), 500);
        if (dir != null) {
            removeOwnFiles(dir, id);
        }
    }

    private static void removeOwnFiles(Path dir, String id) throws IOException {
        for (String name : List.of(BundleWriter.BUNDLE, Conmon.EXITS, Conmon.CONMON_PID, Conmon.CONTAINER_PID,
                MonitorRecord.FILE)) {
            Path p = dir.resolve(name);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(q);
                    }
                }
            } else {
                Files.deleteIfExists(p);
            }
        }
    }

    private String cgroupsPath(String id) {
        return "/" + cgroupsRoot + "/" + id;
    }

    private static void awaitQuietly(ExitStages exits, long millis) throws InterruptedException {
        try {
            exits.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // not yet
        }
    }

    private Container known(ContainerID id) {
        Container c = containers.get(id);
        if (c == null) {
            throw unknown(id);
        }
        return c;
    }

    private static IllegalArgumentException unknown(ContainerID id) {
        return new IllegalArgumentException("container '" + id.getValue() + "' is unknown to the linux launcher");
    }
}
