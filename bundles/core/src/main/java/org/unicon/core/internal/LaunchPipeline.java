package org.unicon.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import org.unicon.containerizer.ContainerizerException;
import org.unicon.hostfs.CrashPoint;
import org.unicon.containerizer.ContainerizerException.Kind;
import org.unicon.isolator.ContextKey;
import org.unicon.isolator.Isolator;
import org.unicon.launcher.LaunchRequest;
import org.unicon.launcher.Launcher;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerCheckpoint;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.ContainerState;
import org.unicon.model.Environment;
import org.unicon.model.Image;
import org.unicon.model.ProvisionedVolume;
import org.unicon.model.Volume;
import org.unicon.model.agent.Call;
import org.unicon.provisioner.ProvisionerBackend;
import org.unicon.store.ImageStore;
import org.unicon.store.PullProgress;
import org.unicon.store.StoredImage;

/**
 * The steps of one launch, in Mesos's order: provision → checkpoint config → prepare (graph
 * order) → merge → checkpoint launch info → create paused → checkpoint pid → isolate (in
 * parallel) → start → mark started. Every state change is checkpointed before it is acted on;
 * a restart destroys a container that has no started mark, whatever step it reached.
 */
final class LaunchPipeline {
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** Everything a launch needs, resolved before anything is created. */
    record Plan(Plugin<Launcher> launcher, List<Plugin<Isolator>> isolators, Optional<Plugin<ImageStore>> store) {}

    private record Request(ContainerID containerId, ContainerLaunchInfo launchInfo, Path sandbox,
            Path stdout, Path stderr, Path directory) implements LaunchRequest {}

    private final ContainerizerCore core;
    private final Container container;
    private final Call.LaunchContainer request;
    private final Plan plan;

    LaunchPipeline(ContainerizerCore core, Container container, Call.LaunchContainer request, Plan plan) {
        this.core = core;
        this.container = container;
        this.request = request;
        this.plan = plan;
    }

    void run() throws Exception {
        String name = container.name;
        Paths paths = core.paths();
        ContainerCheckpoint.Builder record = ContainerCheckpoint.newBuilder()
                .setContainerId(container.id)
                .setLauncher(ref(plan.launcher()))
                .setCreatedMillis(System.currentTimeMillis());
        plan.isolators().forEach(i -> record.addIsolators(ref(i)));
        synchronized (container) {
            container.checkpoint = record.build();
        }
        core.checkpoints().write(paths.containerCheckpoint(name), container.checkpoint);

        Files.createDirectories(paths.sandbox(name));
        touch(paths.stdout(name));
        touch(paths.stderr(name));

        ContainerConfig.Builder config = ContainerConfig.newBuilder()
                .setDirectory(paths.sandbox(name).toString())
                .setCommandInfo(request.getCommand())
                .addAllResources(request.getResourcesList())
                .putAllLimits(request.getLimitsMap());
        if (request.hasContainer()) {
            config.setContainerInfo(request.getContainer());
        }
        if (request.getCommand().hasUser()) {
            config.setUser(request.getCommand().getUser());
        }
        if (plan.store().isPresent()) {
            StoredImage image = provision(plan.store().get());
            config.setRootfs(core.paths().rootfs(name).toString())
                    .setImageConfig(image.config())
                    .setSandboxDirectory(core.settings().sandboxDirectory())
                    .addAllImageVolumes(provisionImageVolumes());
            CrashPoint.reached(CrashPoint.AFTER_PROVISION);
        }
        ContainerConfig finalConfig = config.build();
        synchronized (container) {
            container.config = finalConfig;
        }
        core.checkpoints().write(paths.config(name), finalConfig);
        abortIfDestroyed();

        container.state(ContainerState.PREPARING);
        LaunchInfoMerger merger = new LaunchInfoMerger();
        Map<ContextKey<?>, Object> shared = new ConcurrentHashMap<>();
        for (Plugin<Isolator> isolator : plan.isolators()) {
            IsolatorContext context = new IsolatorContext(container.id, finalConfig, paths, core.checkpoints(),
                    isolator, shared);
            Optional<ContainerLaunchInfo> contribution;
            try {
                contribution = isolator.service().prepare(context);
            } catch (Exception e) {
                throw new IllegalStateException("isolator '" + isolator.name() + "' failed to prepare: " + e.getMessage(), e);
            }
            contribution.ifPresent(info -> merger.add(isolator.name(), info));
            abortIfDestroyed();
        }
        ContainerLaunchInfo launchInfo = finish(merger, finalConfig);
        core.checkpoints().write(paths.launchInfo(name), launchInfo);
        CrashPoint.reached(CrashPoint.AFTER_PREPARE);

        container.state(ContainerState.ISOLATING);
        Files.createDirectories(paths.launcherDir(name));
        Launcher launcher = plan.launcher().service();
        long pid = launcher.create(new Request(container.id, launchInfo, paths.sandbox(name),
                paths.stdout(name), paths.stderr(name), paths.launcherDir(name)));
        CrashPoint.reached(CrashPoint.AFTER_CREATE);
        synchronized (container) {
            container.pid = pid;
        }
        core.checkpoints().writeText(paths.pid(name), Long.toString(pid));
        isolate(pid);
        abortIfDestroyed();

        container.state(ContainerState.FETCHING);
        CrashPoint.reached(CrashPoint.BEFORE_START);
        launcher.start(container.id);
        core.checkpoints().writeText(paths.started(name), "");
        container.state(ContainerState.RUNNING);
        core.watch(container, plan.isolators(), launcher);
    }

    /**
     * Gets the image, picks the backend for where its layers are, checkpoints both (so that a
     * destroy after a restart knows what to undo), then makes the rootfs.
     */
    private StoredImage provision(Plugin<ImageStore> store) throws Exception {
        Image image = request.getContainer().getMesos().getImage();
        Provisioner provisioner = new Provisioner(core.registry(), core.settings());
        StoredImage stored = provisioner.fetch(store, image, PullProgress.none());
        Plugin<ProvisionerBackend> backend = provisioner.backend(stored.layers());
        ContainerCheckpoint.Builder record = container.checkpoint.toBuilder().setBackend(ref(backend));
        stored.layers().forEach(layer -> record.addLayers(layer.toString()));
        synchronized (container) {
            container.checkpoint = record.build();
        }
        core.checkpoints().write(core.paths().containerCheckpoint(container.name), container.checkpoint);
        abortIfDestroyed();

        Path rootfs = core.paths().rootfs(container.name);
        Files.createDirectories(rootfs);
        synchronized (container) {
            container.rootfsProvisioned = true;
        }
        try {
            backend.service().provision(stored.layers(), rootfs);
        } catch (Exception e) {
            throw new IllegalStateException("backend '" + backend.name() + "' could not provision the rootfs: "
                    + e.getMessage(), e);
        }
        return stored;
    }

    /**
     * Makes a root filesystem for every image volume (Mesos's volume/image), each checkpointed
     * before it is made so that a destroy, also after a restart, undoes it.
     */
    private List<ProvisionedVolume> provisionImageVolumes() throws Exception {
        List<ProvisionedVolume> made = new ArrayList<>();
        List<Volume> volumes = request.getContainer().getVolumesList();
        Provisioner provisioner = new Provisioner(core.registry(), core.settings());
        for (int index = 0; index < volumes.size(); index++) {
            if (!volumes.get(index).hasImage()) {
                continue;
            }
            Image image = volumes.get(index).getImage();
            StoredImage stored = provisioner.fetch(provisioner.store(image), image, PullProgress.none());
            Plugin<ProvisionerBackend> backend = provisioner.backend(stored.layers());
            Path rootfs = core.paths().imageVolume(container.name, index);
            ProvisionedVolume volume = ProvisionedVolume.newBuilder().setVolume(index).setBackend(ref(backend))
                    .setRootfs(rootfs.toString()).build();
            ContainerCheckpoint.Builder record = container.checkpoint.toBuilder().addImageVolumes(volume);
            stored.layers().forEach(layer -> record.addLayers(layer.toString()));
            synchronized (container) {
                container.checkpoint = record.build();
            }
            core.checkpoints().write(core.paths().containerCheckpoint(container.name), container.checkpoint);
            Files.createDirectories(rootfs);
            try {
                backend.service().provision(stored.layers(), rootfs);
            } catch (Exception e) {
                throw new IllegalStateException("backend '" + backend.name() + "' could not provision image volume "
                        + Images.describe(image) + " at " + volumes.get(index).getContainerPath() + ": "
                        + e.getMessage(), e);
            }
            made.add(volume);
            abortIfDestroyed();
        }
        return made;
    }

    /** The launch info the launcher gets: the merge plus what only the core decides. */
    private ContainerLaunchInfo finish(LaunchInfoMerger merger, ContainerConfig config) {
        ContainerLaunchInfo.Builder info = merger.result();
        boolean hasRootfs = config.hasRootfs();
        String sandbox = hasRootfs ? config.getSandboxDirectory() : config.getDirectory();
        if (hasRootfs) {
            info.setRootfs(config.getRootfs());
            if (!info.hasWorkingDirectory()) {
                info.setWorkingDirectory(sandbox);
            }
        } else {
            // Without a rootfs the command runs in the host sandbox, whatever an isolator says.
            info.setWorkingDirectory(config.getDirectory());
        }
        if (config.hasUser()) {
            info.setUser(config.getUser());
        }
        CommandInfo command = info.hasCommand() ? info.getCommand() : config.getCommandInfo();
        info.setCommand(command.toBuilder().clearEnvironment().clearUris().clearUser());

        Map<String, String> environment = new java.util.LinkedHashMap<>();
        environment.put("PATH", DEFAULT_PATH);
        environment.put("MESOS_SANDBOX", sandbox);
        for (Environment.Variable variable : merger.environment()) {
            environment.put(variable.getName(), variable.getValue());
        }
        for (Environment.Variable variable : config.getCommandInfo().getEnvironment().getVariablesList()) {
            environment.put(variable.getName(), variable.getValue());
        }
        Environment.Builder env = Environment.newBuilder();
        environment.forEach((k, v) -> env.addVariables(Environment.Variable.newBuilder().setName(k).setValue(v)));
        return info.setEnvironment(env).build();
    }

    /** Every isolator's isolate step at once: the last on this thread, the others on the core's isolation pool. */
    private void isolate(long pid) throws Exception {
        List<CompletableFuture<Void>> isolations = new ArrayList<>();
        List<Plugin<Isolator>> isolators = plan.isolators();
        for (int i = 0; i < isolators.size(); i++) {
            Plugin<Isolator> isolator = isolators.get(i);
            Runnable step = () -> {
                try {
                    isolator.service().isolate(container.id, pid);
                } catch (Exception e) {
                    throw new CompletionException(new IllegalStateException("isolator '" + isolator.name()
                            + "' failed to isolate pid " + pid + ": " + e.getMessage(), e));
                }
            };
            if (i < isolators.size() - 1) {
                isolations.add(CompletableFuture.runAsync(step, core.isolations()));
            } else {
                try {
                    step.run();
                    isolations.add(CompletableFuture.completedFuture(null));
                } catch (CompletionException e) {
                    isolations.add(CompletableFuture.failedFuture(e.getCause()));
                }
            }
        }
        try {
            CompletableFuture.allOf(isolations.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private void abortIfDestroyed() throws ContainerizerException {
        synchronized (container) {
            if (container.destroying != null) {
                throw new ContainerizerException(Kind.CONFLICT, "it was destroyed while launching");
            }
        }
    }

    private static ContainerCheckpoint.Plugin ref(Plugin<?> plugin) {
        return ContainerCheckpoint.Plugin.newBuilder().setName(plugin.name()).setVersion(plugin.version()).build();
    }

    private static void touch(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
    }
}
