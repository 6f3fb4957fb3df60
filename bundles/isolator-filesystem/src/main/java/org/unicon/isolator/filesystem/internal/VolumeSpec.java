package org.unicon.isolator.filesystem.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;

import org.unicon.model.MountPropagation;
import org.unicon.model.ProvisionedVolume;
import org.unicon.model.Volume;

/**
 * One {@link Volume} of {@code ContainerInfo.volumes}, validated: where its content comes from
 * on the host and where the container wants it. The supported sources are host paths (the
 * legacy {@code host_path} field or {@code source.host_path}), {@code SELF} sandbox paths, and
 * images (whose root filesystem the containerizer provisioned); everything else is refused with
 * a message saying why.
 *
 * @param label how messages name the volume, e.g. {@code volume 2 ('/data')}
 * @param source the host path whose content the volume shows (for a sandbox path: inside the
 *        host sandbox; it is created by {@link #createSandboxSource} when missing)
 * @param containerPath the normalised {@code container_path}: absolute, or relative to the sandbox
 * @param readOnly {@code mode: RO}
 * @param sandboxPath whether the source is a sandbox path
 */
record VolumeSpec(String label, Path source, String containerPath, boolean readOnly, boolean sandboxPath) {

    /** Validates volume number {@code index} (from 1) of a container whose host sandbox is {@code sandbox}. */
    static VolumeSpec of(Volume volume, int index, Path sandbox) {
        return of(volume, index, sandbox, List.of());
    }

    /**
     * As {@link #of(Volume, int, Path)}, for a container whose image volumes the containerizer
     * provisioned ({@code ContainerConfig.image_volumes}, indexed from 0).
     */
    static VolumeSpec of(Volume volume, int index, Path sandbox, List<ProvisionedVolume> imageVolumes) {
        String raw = volume.getContainerPath();
        String label = "volume " + index + " ('" + raw + "')";
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("volume " + index + " has no container_path");
        }
        String containerPath = ContainerPaths.normalize(raw, label + ": container_path");
        if (!volume.hasMode()) {
            throw new IllegalArgumentException(label + " has no mode; set mode to RW or RO");
        }
        boolean readOnly = volume.getMode() == Volume.Mode.RO;
        if (volume.hasImage()) {
            ProvisionedVolume provisioned = imageVolumes.stream().filter(v -> v.getVolume() == index - 1)
                    .findFirst().orElseThrow(() -> new IllegalArgumentException(label + ": an image volume needs a"
                            + " container with an image of its own (its root filesystem is where it is mounted)"));
            if (volume.hasHostPath() || volume.hasSource()) {
                throw new IllegalArgumentException(label + " sets both image and a host or sandbox source; use one");
            }
            return new VolumeSpec(label, Path.of(provisioned.getRootfs()), containerPath, readOnly, false);
        }
        if (volume.hasHostPath() && volume.hasSource()) {
            throw new IllegalArgumentException(label + " sets both host_path and source; use source alone");
        }
        if (volume.hasHostPath()) {
            return new VolumeSpec(label, hostPath(volume.getHostPath(), label), containerPath, readOnly, false);
        }
        if (!volume.hasSource()) {
            throw new IllegalArgumentException(label + " has no source; set source.host_path or source.sandbox_path");
        }
        Volume.Source source = volume.getSource();
        switch (source.getType()) {
            case HOST_PATH -> {
                if (source.getHostPath().getMountPropagation().getMode() == MountPropagation.Mode.BIDIRECTIONAL) {
                    throw new IllegalArgumentException(label + ": BIDIRECTIONAL mount propagation is not supported:"
                            + " mounts made in the container would reach the host; use HOST_TO_CONTAINER");
                }
                return new VolumeSpec(label, hostPath(source.getHostPath().getPath(), label), containerPath,
                        readOnly, false);
            }
            case SANDBOX_PATH -> {
                Volume.Source.SandboxPath sandboxPath = source.getSandboxPath();
                if (sandboxPath.getType() == Volume.Source.SandboxPath.Type.PARENT) {
                    throw new IllegalArgumentException(label + ": sandbox_path of type PARENT is not supported:"
                            + " standalone containers have no parent sandbox; use SELF");
                }
                if (sandboxPath.getType() != Volume.Source.SandboxPath.Type.SELF) {
                    throw new IllegalArgumentException(label + ": sandbox_path.type must be SELF");
                }
                String path = sandboxPath.getPath();
                if (path.isEmpty() || path.startsWith("/")) {
                    throw new IllegalArgumentException(label + ": sandbox_path.path '" + path
                            + "' must be a path relative to the sandbox");
                }
                String relative = ContainerPaths.normalize(path, label + ": sandbox_path.path");
                return new VolumeSpec(label, sandbox.resolve(relative), containerPath, readOnly, true);
            }
            default -> throw new IllegalArgumentException(label + ": volume source type " + source.getType()
                    + " is not supported; use HOST_PATH or SANDBOX_PATH");
        }
    }

    private static Path hostPath(String path, String label) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(label + ": host_path '" + path + "' must be absolute");
        }
        String normalized = ContainerPaths.normalize(path, label + ": host_path");
        Path host = Path.of(normalized);
        if (!Files.exists(host)) {
            throw new IllegalArgumentException(label + ": host_path '" + path + "' does not exist on the host");
        }
        return host;
    }

    /** Whether {@link #containerPath} is relative, i.e. inside the container's sandbox. */
    boolean inSandbox() {
        return !containerPath.startsWith("/");
    }

    /**
     * Creates a sandbox-path source directory when it is missing, and checks that it is inside
     * the sandbox once symlinks are resolved.
     */
    void createSandboxSource(Path sandbox) throws IOException {
        if (!sandboxPath) {
            return;
        }
        if (!Files.exists(source)) {
            Files.createDirectories(source);
        }
        if (!source.toRealPath().startsWith(sandbox.toRealPath())) {
            throw new IllegalArgumentException(label + ": sandbox_path '" + sandbox.relativize(source)
                    + "' leads out of the sandbox through a symlink");
        }
    }
}
