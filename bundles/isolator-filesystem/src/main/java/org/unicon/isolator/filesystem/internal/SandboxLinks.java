package org.unicon.isolator.filesystem.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.RecoveredContainer;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerID;
import org.unicon.model.Volume;

/**
 * Volumes of containers without an image, the way Mesos's filesystem/posix shows persistent
 * volumes: a symlink in the sandbox ({@code <sandbox>/<container_path>}) to the volume's
 * source. The container sees the host's filesystem, so a volume can only be placed in its
 * sandbox (a relative {@code container_path}), and a symlink cannot be read-only, so {@code RO}
 * is refused rather than silently ignored.
 *
 * <p>The links and the directories created to hold them are checkpointed (one per line: {@code
 * L <link>} or {@code D <dir>}) so that cleanup after a restart removes them too. Cleanup removes
 * a link only if it is still the symlink it made, reached through real directories of the
 * sandbox: the container may have changed its sandbox, and cleanup runs with the agent's
 * privileges.
 */
final class SandboxLinks {
    private static final System.Logger LOG = System.getLogger(SandboxLinks.class.getName());

    private record Created(List<Path> links, List<Path> directories, Path sandbox) {}

    private final Map<String, Created> created = new ConcurrentHashMap<>();

    /** Validates every volume, then makes the links; throws before making any if one is invalid. */
    void prepare(ContainerContext container) throws IOException {
        ContainerConfig config = container.config();
        String id = container.containerId().getValue();
        Path sandbox = container.sandbox();
        List<VolumeSpec> volumes = new ArrayList<>();
        Set<Path> links = new HashSet<>();
        int index = 0;
        for (Volume volume : config.getContainerInfo().getVolumesList()) {
            VolumeSpec spec = VolumeSpec.of(volume, ++index, sandbox);
            if (!spec.inSandbox()) {
                throw new IllegalArgumentException(spec.label() + ": container_path is absolute, but a container"
                        + " without an image sees the host's filesystem, so its volumes can only be placed in its"
                        + " sandbox: use a relative container_path (absolute ones need filesystem/linux and an image)");
            }
            if (spec.readOnly()) {
                throw new IllegalArgumentException(spec.label() + ": mode RO cannot be enforced for a container"
                        + " without an image (its volumes are symlinks in the sandbox); use RW, or give the"
                        + " container an image and use filesystem/linux");
            }
            Path link = sandbox.resolve(spec.containerPath());
            if (!links.add(link)) {
                throw new IllegalArgumentException(spec.label() + ": another volume already uses container_path '"
                        + spec.containerPath() + "'");
            }
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !link.equals(spec.source())) {
                throw new IllegalArgumentException(spec.label() + ": '" + spec.containerPath()
                        + "' already exists in the sandbox");
            }
            volumes.add(spec);
        }
        if (volumes.isEmpty()) {
            return;
        }
        Created record = new Created(new ArrayList<>(), new ArrayList<>(), sandbox);
        created.put(id, record);
        for (VolumeSpec spec : volumes) {
            spec.createSandboxSource(sandbox);
            Path link = sandbox.resolve(spec.containerPath());
            if (link.equals(spec.source())) {
                continue; // the sandbox path itself is the volume
            }
            createParents(link.getParent(), sandbox, record.directories());
            Files.createSymbolicLink(link, spec.source());
            record.links().add(link);
            LOG.log(System.Logger.Level.INFO, "container ''{0}'': {1} is the symlink {2} -> {3}", id, spec.label(),
                    link, spec.source());
        }
        container.checkpoint(encode(record));
    }

    private static void createParents(Path dir, Path sandbox, List<Path> createdDirs) throws IOException {
        if (dir.equals(sandbox) || Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        createParents(dir.getParent(), sandbox, createdDirs);
        Files.createDirectory(dir);
        createdDirs.add(dir);
    }

    void recover(List<RecoveredContainer> containers) {
        for (RecoveredContainer container : containers) {
            container.state().ifPresent(state -> {
                Created record = decode(state.getState().toStringUtf8(), Path.of(container.config().getDirectory()));
                created.put(container.containerId().getValue(), record);
            });
        }
    }

    /** Removes the links and the directories made for them (when empty); fine for an unknown container. */
    void cleanup(ContainerID id) throws IOException {
        Created record = created.remove(id.getValue());
        if (record == null) {
            return;
        }
        for (Path link : record.links()) {
            if (reachedThroughRealDirectories(link.getParent(), record.sandbox()) && Files.isSymbolicLink(link)) {
                Files.delete(link);
            } else {
                LOG.log(System.Logger.Level.WARNING, "container ''{0}'': left {1} alone: it is no longer the"
                        + " symlink made for a volume", id.getValue(), link);
            }
        }
        List<Path> directories = new ArrayList<>(record.directories());
        Collections.reverse(directories);
        for (Path dir : directories) {
            if (reachedThroughRealDirectories(dir, record.sandbox()) && isEmptyDirectory(dir)) {
                Files.delete(dir);
            }
        }
    }

    private static boolean reachedThroughRealDirectories(Path dir, Path sandbox) {
        for (Path p = dir; p != null && p.startsWith(sandbox); p = p.getParent()) {
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static byte[] encode(Created record) {
        StringBuilder text = new StringBuilder();
        record.links().forEach(l -> text.append("L ").append(l).append('\n'));
        record.directories().forEach(d -> text.append("D ").append(d).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Created decode(String text, Path sandbox) {
        Created record = new Created(new ArrayList<>(), new ArrayList<>(), sandbox);
        for (String line : text.split("\n")) {
            if (line.startsWith("L ")) {
                record.links().add(Path.of(line.substring(2)));
            } else if (line.startsWith("D ")) {
                record.directories().add(Path.of(line.substring(2)));
            }
        }
        return record;
    }
}
