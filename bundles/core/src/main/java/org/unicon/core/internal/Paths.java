package org.unicon.core.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Names every directory and file the core keeps on disk; nobody else builds these paths.
 *
 * <pre>
 * work_dir/boot_id                          the boot the containers were recorded in
 * work_dir/containers/ID/                   the sandbox: stdout, stderr, the task's files
 * work_dir/provisioner/containers/ID/rootfs the provisioned root filesystem
 * work_dir/provisioner/containers/ID/volumes/N/rootfs  image volume N's root filesystem
 * runtime_dir/containers/ID/container       ContainerCheckpoint: launcher and isolators used
 * runtime_dir/containers/ID/config          ContainerConfig
 * runtime_dir/containers/ID/launch_info     merged ContainerLaunchInfo
 * runtime_dir/containers/ID/pid             the container's init, as text
 * runtime_dir/containers/ID/started         empty: the container's command was let run
 * runtime_dir/containers/ID/destroying      ContainerTermination: why the core destroys it
 * runtime_dir/containers/ID/termination     ContainerTermination, once terminated
 * runtime_dir/containers/ID/isolators/NAME  IsolatorCheckpoint per isolator
 * runtime_dir/containers/ID/launcher/       the launcher's own directory
 * </pre>
 *
 * The runtime dir lives on tmpfs by default (/run/unicon): it survives agent restarts but not
 * reboots, like the processes it describes. IDs reaching this class are validated already.
 */
public final class Paths {
    private final Path workDir;
    private final Path runtimeDir;

    public Paths(Path workDir, Path runtimeDir) {
        this.workDir = workDir.toAbsolutePath().normalize();
        this.runtimeDir = runtimeDir.toAbsolutePath().normalize();
    }

    public Path workDir() {
        return workDir;
    }

    public Path runtimeDir() {
        return runtimeDir;
    }

    public Path sandboxes() {
        return workDir.resolve("containers");
    }

    public Path sandbox(String id) {
        return sandboxes().resolve(id);
    }

    public Path stdout(String id) {
        return sandbox(id).resolve("stdout");
    }

    public Path stderr(String id) {
        return sandbox(id).resolve("stderr");
    }

    public Path provisionerContainers() {
        return workDir.resolve("provisioner").resolve("containers");
    }

    public Path provisionerContainer(String id) {
        return provisionerContainers().resolve(id);
    }

    public Path rootfs(String id) {
        return provisionerContainer(id).resolve("rootfs");
    }

    /** The root filesystem of the container's image volume number {@code volume}. */
    public Path imageVolume(String id, int volume) {
        return provisionerContainer(id).resolve("volumes").resolve(Integer.toString(volume)).resolve("rootfs");
    }

    public Path runtimeContainers() {
        return runtimeDir.resolve("containers");
    }

    public Path runtime(String id) {
        return runtimeContainers().resolve(id);
    }

    public Path containerCheckpoint(String id) {
        return runtime(id).resolve("container");
    }

    public Path config(String id) {
        return runtime(id).resolve("config");
    }

    public Path launchInfo(String id) {
        return runtime(id).resolve("launch_info");
    }

    public Path pid(String id) {
        return runtime(id).resolve("pid");
    }

    /** Marks that the launcher started the container's command (a pid alone may be paused). */
    public Path started(String id) {
        return runtime(id).resolve("started");
    }

    /** The cause of a destroy in progress, so that a restart finishes it with the same reason. */
    public Path destroying(String id) {
        return runtime(id).resolve("destroying");
    }

    /** The kernel's boot id when the agent last started: a different one now means a reboot. */
    public Path bootId() {
        return workDir.resolve("boot_id");
    }

    public Path termination(String id) {
        return runtime(id).resolve("termination");
    }

    public Path isolatorCheckpoints(String id) {
        return runtime(id).resolve("isolators");
    }

    /** Isolator names contain '/', so the file name is the URL-encoded name. */
    public Path isolatorCheckpoint(String id, String isolator) {
        return isolatorCheckpoints(id).resolve(URLEncoder.encode(isolator, StandardCharsets.UTF_8));
    }

    public Path launcherDir(String id) {
        return runtime(id).resolve("launcher");
    }
}
