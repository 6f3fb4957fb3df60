package org.unicon.core.internal;

import org.unicon.hostfs.CrashPoint;
import org.unicon.hostfs.TreeDeleter;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.unicon.isolator.Isolator;
import org.unicon.launcher.Launcher;
import org.unicon.model.ContainerCheckpoint;
import org.unicon.model.ContainerState;
import org.unicon.model.ContainerTermination;
import org.unicon.model.ProvisionedVolume;
import org.unicon.model.TaskState;
import org.unicon.model.TaskStatus;
import org.unicon.provisioner.ProvisionerBackend;

/**
 * Tears one container down, in Mesos's order: kill every process → reap the exit status →
 * isolators' cleanup in reverse prepare order (continuing past failures) → destroy the rootfs →
 * checkpoint the termination → drop the rest of the runtime state. Runs once per container,
 * after any launch step in progress has finished.
 */
final class Destruction {
    private static final System.Logger LOG = System.getLogger(Destruction.class.getName());
    /** How long a launcher may take to report the exit status after destroying the container. */
    private static final long EXIT_TIMEOUT_SECONDS = 60;

    private final ContainerizerCore core;
    private final Container container;
    private final List<String> errors = new ArrayList<>();

    Destruction(ContainerizerCore core, Container container) {
        this.core = core;
        this.container = container;
    }

    void run() {
        synchronized (container.lifecycle) {
            ContainerTermination termination;
            try {
                container.state(ContainerState.DESTROYING);
                ContainerTermination cause = cause();
                if (cause != null) {
                    core.checkpoints().write(core.paths().destroying(container.name), cause);
                }
                awaitPlugins();
                Integer status = killAndReap();
                CrashPoint.reached(CrashPoint.MID_DESTROY);
                cleanupIsolators();
                destroyRootfs();
                termination = termination(status);
                core.checkpoints().write(core.paths().termination(container.name), termination);
                dropRuntimeState();
            } catch (Exception | Error e) {
                errors.add("destroy failed: " + e);
                termination = termination(null);
            }
            container.state(ContainerState.TERMINATED);
            LOG.log(errors.isEmpty() ? Level.INFO : Level.WARNING, "container {0}: terminated: {1}",
                    container.name, termination.getMessage());
            container.termination.complete(termination);
        }
    }

    /**
     * Waits (up to plugin_wait_seconds) for the launcher and isolators the container was made
     * with, when some are not registered: right after a restart, or while a bundle is updated.
     * Destroying without them would leave processes, cgroups or namespaces behind.
     */
    private void awaitPlugins() {
        try {
            core.awaitPlugins("destroy of container " + container.name, () -> missingPlugins(core, container),
                    () -> null);
        } catch (org.unicon.containerizer.ContainerizerException e) {
            // Interrupted: what is still missing is reported by the steps below.
        }
    }

    /** The launcher and isolators {@code container} was made with that are not registered now. */
    static List<String> missingPlugins(ContainerizerCore core, Container container) {
        List<String> missing = new ArrayList<>();
        if (container.pid != null && container.checkpoint != null && core.launcherOf(container).isEmpty()) {
            missing.add("launcher '" + container.checkpoint.getLauncher().getName() + "'");
        }
        for (ContainerCheckpoint.Plugin ref : container.isolators()) {
            if (core.registry().isolators.get(ref.getName()).isEmpty()) {
                missing.add("isolator '" + ref.getName() + "'");
            }
        }
        return missing;
    }

    private Integer killAndReap() throws InterruptedException {
        if (container.pid == null) {
            return null;
        }
        Optional<Plugin<Launcher>> launcher = core.launcherOf(container);
        if (launcher.isEmpty()) {
            errors.add("launcher '" + container.checkpoint.getLauncher().getName()
                    + "' is not installed, so the container's processes could not be killed");
            return null;
        }
        try {
            // The exit stage first: a launcher forgets a container once it has destroyed it.
            var exit = launcher.get().service().exit(container.id).toCompletableFuture();
            launcher.get().service().destroy(container.id);
            return exit.get(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            errors.add("launcher '" + launcher.get().name() + "' failed: " + rootMessage(e));
            return null;
        }
    }

    private void cleanupIsolators() {
        List<ContainerCheckpoint.Plugin> prepared = new ArrayList<>(container.isolators());
        java.util.Collections.reverse(prepared);
        for (ContainerCheckpoint.Plugin ref : prepared) {
            Optional<Plugin<Isolator>> isolator = core.registry().isolators.get(ref.getName());
            if (isolator.isEmpty()) {
                errors.add("isolator '" + ref.getName() + "' is not installed, so it could not clean up");
                continue;
            }
            try {
                isolator.get().service().cleanup(container.id);
            } catch (Exception e) {
                errors.add("isolator '" + ref.getName() + "' failed to clean up: " + rootMessage(e));
            }
        }
    }

    private void destroyRootfs() {
        if (container.checkpoint != null) {
            for (ProvisionedVolume volume : container.checkpoint.getImageVolumesList()) {
                destroyWith(volume.getBackend().getName(), Path.of(volume.getRootfs()), "image volume " + volume.getVolume());
            }
        }
        if (!container.rootfsProvisioned || container.checkpoint == null || !container.checkpoint.hasBackend()) {
            if (container.checkpoint != null && !container.checkpoint.getImageVolumesList().isEmpty()) {
                deleteProvisionerDirectory();
            }
            return;
        }
        String name = container.checkpoint.getBackend().getName();
        Optional<Plugin<ProvisionerBackend>> backend = core.registry().backends.get(name);
        if (backend.isEmpty()) {
            errors.add("backend '" + name + "' is not installed, so the rootfs could not be destroyed");
            return;
        }
        try {
            backend.get().service().destroy(core.paths().rootfs(container.name));
            deleteProvisionerDirectory();
        } catch (Exception e) {
            errors.add("backend '" + name + "' failed to destroy the rootfs: " + rootMessage(e));
        }
    }

    /** Undoes one image volume; a volume whose provisioning never started is simply not there. */
    private void destroyWith(String name, Path rootfs, String what) {
        Optional<Plugin<ProvisionerBackend>> backend = core.registry().backends.get(name);
        if (backend.isEmpty()) {
            errors.add("backend '" + name + "' is not installed, so " + what + " could not be destroyed");
            return;
        }
        try {
            if (java.nio.file.Files.exists(rootfs)) {
                backend.get().service().destroy(rootfs);
            }
        } catch (Exception e) {
            errors.add("backend '" + name + "' failed to destroy " + what + ": " + rootMessage(e));
        }
    }

    private void deleteProvisionerDirectory() {
        try {
            TreeDeleter.delete(core.paths().provisionerContainer(container.name));
        } catch (java.io.IOException e) {
            errors.add("could not delete " + core.paths().provisionerContainer(container.name) + ": " + e.getMessage());
        }
    }

    /** Keeps `container`, `config` and `termination`: what `ps` and `wait` need until removal. */
    private void dropRuntimeState() throws IOException {
        Paths paths = core.paths();
        TreeDeleter.delete(paths.launcherDir(container.name));
        TreeDeleter.delete(paths.isolatorCheckpoints(container.name));
        java.nio.file.Files.deleteIfExists(paths.launchInfo(container.name));
        java.nio.file.Files.deleteIfExists(paths.pid(container.name));
        java.nio.file.Files.deleteIfExists(paths.destroying(container.name));
        java.nio.file.Files.deleteIfExists(paths.started(container.name));
    }

    /**
     * Why the core destroys the container, when the core decided it: a limitation, a failed
     * launch, a kill, a reboot or another reason it gave; null when the command's own exit ends
     * the container. Decided once, before anything is killed, and checkpointed.
     */
    private ContainerTermination cause() {
        synchronized (container) {
            if (container.cause == null) {
                ContainerTermination.Builder t = ContainerTermination.newBuilder();
                if (container.limitation != null) {
                    t.setState(TaskState.TASK_FAILED).setMessage(container.limitation.getMessage())
                            .addAllLimitedResources(container.limitation.getResourcesList());
                    if (container.limitation.hasReason()) {
                        t.setReason(container.limitation.getReason());
                    }
                } else if (container.launchFailed) {
                    t.setState(TaskState.TASK_FAILED).setReason(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED)
                            .setMessage(container.destroyMessage);
                } else if (container.killRequested) {
                    t.setState(TaskState.TASK_KILLED).setMessage("killed");
                } else if (container.destroyMessage != null) {
                    t.setState(TaskState.TASK_FAILED).setMessage(container.destroyMessage);
                } else {
                    return null;
                }
                container.cause = t.build();
            }
            return container.cause;
        }
    }

    private ContainerTermination termination(Integer status) {
        ContainerTermination cause = cause();
        ContainerTermination.Builder t = cause == null ? ContainerTermination.newBuilder() : cause.toBuilder();
        if (status != null) {
            t.setStatus(status);
        }
        String message;
        if (cause != null) {
            message = cause.getMessage();
            if (cause.getState() == TaskState.TASK_KILLED && status != null) {
                message += "; the command " + WaitStatus.describe(status);
            }
        } else if (status != null) {
            boolean success = WaitStatus.exited(status) && WaitStatus.exitCode(status) == 0;
            t.setState(success ? TaskState.TASK_FINISHED : TaskState.TASK_FAILED);
            message = "the command " + WaitStatus.describe(status);
        } else {
            t.setState(TaskState.TASK_FAILED);
            message = "destroyed";
        }
        if (!errors.isEmpty()) {
            message = message + " (" + String.join("; ", errors) + ")";
        }
        return t.setMessage(message).build();
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof java.util.concurrent.ExecutionException
                || cause instanceof java.util.concurrent.CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
