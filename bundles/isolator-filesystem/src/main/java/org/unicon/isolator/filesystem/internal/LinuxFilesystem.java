package org.unicon.isolator.filesystem.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.RecoveredContainer;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.ContainerMountInfo;
import org.unicon.model.Volume;

/**
 * {@code filesystem/linux}: a container with an image gets its own mount namespace on the
 * provisioned rootfs, with, in this order: the pseudo filesystems ({@link StandardMounts}), the
 * host sandbox at {@code sandbox_directory}, read-only /etc/hosts, /etc/resolv.conf and
 * /etc/hostname ({@link EtcFiles}), then its volumes in the order given (last, so that a
 * volume the user asks for wins over what the isolator puts at the same place). A volume with a
 * relative {@code container_path} goes below the sandbox directory, as in Mesos.
 *
 * <p>With {@code ContainerInfo.hostname} it also asks for a UTS namespace (the launcher sets the
 * kernel hostname from the config); without one the container shares the host's UTS namespace,
 * so its /etc/hostname and /etc/hosts name the host, matching what {@code hostname} prints.
 *
 * <p>Propagation: every bind mount is a slave of the host's ({@code MS_SLAVE|MS_REC}), and the
 * launcher must make the container's root {@code rslave} (OCI {@code linux.rootfsPropagation}),
 * so that no mount made in the container reaches the host's mount table.
 *
 * <p>A container without an image is treated as filesystem/posix treats it (volumes are
 * symlinks in the sandbox), so that the posix launcher can still run it.
 */
final class LinuxFilesystem implements Isolator {
    private static final System.Logger LOG = System.getLogger(LinuxFilesystem.class.getName());

    private final EtcFiles etcFiles;
    private final Supplier<String> hostHostname;
    private final SandboxLinks imageless = new SandboxLinks();

    /**
     * @param root where the isolator writes each container's /etc files ({@code <root>/<id>/})
     * @param hostResolvConf the host's resolv.conf, copied into containers
     * @param hostHostname the host's hostname, for containers without their own
     */
    LinuxFilesystem(Path root, Path hostResolvConf, Supplier<String> hostHostname) {
        this.etcFiles = new EtcFiles(root, hostResolvConf);
        this.hostHostname = hostHostname;
    }

    @Override
    public void recover(List<RecoveredContainer> containers, Set<ContainerID> orphans) {
        imageless.recover(containers);
    }

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) throws Exception {
        Optional<Path> rootfs = container.rootfs();
        if (rootfs.isEmpty()) {
            PosixFilesystem.refuseHostname(container.config());
            imageless.prepare(container);
            return Optional.empty();
        }
        ContainerConfig config = container.config();
        String id = container.containerId().getValue();
        if (!isPathSafe(id)) {
            throw new IllegalArgumentException("container ID '" + id + "' cannot name a directory");
        }
        String sandboxDirectory = sandboxDirectory(config);
        boolean ownHostname = config.getContainerInfo().hasHostname();
        String hostname = ownHostname ? config.getContainerInfo().getHostname() : hostHostname.get().strip();
        if (ownHostname) {
            EtcFiles.validateHostname(hostname);
        }
        List<ContainerMountInfo> volumeMounts = volumes(container, rootfs.get(), sandboxDirectory);

        ContainerLaunchInfo.Builder info = ContainerLaunchInfo.newBuilder()
                .addCloneNamespaces(MountFlags.CLONE_NEWNS)
                .addAllMounts(StandardMounts.pseudoFilesystems())
                .addMounts(StandardMounts.bind(container.sandbox().toString(), sandboxDirectory, false));
        Path etc = etcFiles.write(id, hostname);
        info.addMounts(StandardMounts.file(etc.resolve(EtcFiles.HOSTS).toString(), "/etc/hosts"))
                .addMounts(StandardMounts.file(etc.resolve(EtcFiles.RESOLV_CONF).toString(), "/etc/resolv.conf"))
                .addMounts(StandardMounts.file(etc.resolve(EtcFiles.HOSTNAME).toString(), "/etc/hostname"))
                .addAllMounts(volumeMounts)
                .addAllMaskedPaths(StandardMounts.MASKED_PATHS);
        if (ownHostname) {
            info.addCloneNamespaces(MountFlags.CLONE_NEWUTS).setHostname(hostname);
        }
        LOG.log(System.Logger.Level.DEBUG, "container ''{0}'': {1} mounts, hostname ''{2}''{3}", id,
                info.getMountsCount(), hostname, ownHostname ? " in its own UTS namespace" : " (the host's)");
        return Optional.of(info.build());
    }

    private static String sandboxDirectory(ContainerConfig config) {
        String dir = config.getSandboxDirectory();
        if (!dir.startsWith("/")) {
            throw new IllegalArgumentException("sandbox_directory '" + dir + "' must be an absolute path"
                    + " (where the sandbox appears in the container, e.g. /mnt/mesos/sandbox)");
        }
        String normalized = ContainerPaths.normalize(dir, "sandbox_directory");
        if (normalized.equals("/")) {
            throw new IllegalArgumentException("sandbox_directory must not be '/': the sandbox would hide the image");
        }
        return normalized;
    }

    /**
     * Validates every volume and resolves its target in the rootfs, then creates missing
     * sandbox-path sources; nothing is created when a volume is invalid.
     */
    private static List<ContainerMountInfo> volumes(ContainerContext container, Path rootfs, String sandboxDirectory)
            throws IOException {
        List<VolumeSpec> specs = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int index = 0;
        for (Volume volume : container.config().getContainerInfo().getVolumesList()) {
            VolumeSpec spec = VolumeSpec.of(volume, ++index, container.sandbox(),
                    container.config().getImageVolumesList());
            String target;
            if (spec.inSandbox()) {
                target = spec.containerPath().equals(".") ? sandboxDirectory : sandboxDirectory + "/" + spec.containerPath();
            } else {
                target = ContainerPaths.resolve(rootfs, spec.containerPath(), spec.label() + ": container_path");
            }
            if (target.equals("/") || target.equals(sandboxDirectory)) {
                throw new IllegalArgumentException(spec.label() + ": a volume cannot cover "
                        + (target.equals("/") ? "the container's root" : "the sandbox directory " + target));
            }
            if (!seen.add(target)) {
                throw new IllegalArgumentException(spec.label() + ": another volume is already mounted at " + target);
            }
            specs.add(spec);
            targets.add(target);
        }
        List<ContainerMountInfo> mounts = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            VolumeSpec spec = specs.get(i);
            spec.createSandboxSource(container.sandbox());
            mounts.add(StandardMounts.bind(spec.source().toString(), targets.get(i), spec.readOnly()));
        }
        return mounts;
    }

    @Override
    public void cleanup(ContainerID id) throws Exception {
        imageless.cleanup(id);
        if (isPathSafe(id.getValue())) {
            etcFiles.delete(id.getValue());
        }
    }

    /** Container IDs are validated by the core; this keeps a bad one from naming another directory. */
    private static boolean isPathSafe(String id) {
        return !id.isEmpty() && !id.contains("/") && !id.equals(".") && !id.equals("..") && id.indexOf('\0') < 0;
    }
}
