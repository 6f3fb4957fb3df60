package org.unicon.core.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.unicon.containerizer.ContainerizerException;
import org.unicon.model.ContainerCheckpoint;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerState;
import org.unicon.model.ContainerTermination;
import org.unicon.model.TaskState;

/**
 * What a reboot did to the containers, for {@link Recovery}: the kernel's boot id recorded in
 * the work dir tells whether the machine rebooted since the agent last started; then no process
 * of any container survived, and the containers whose records the reboot cleared with the
 * runtime dir (tmpfs) are found again by their sandboxes, to be listed as lost.
 */
final class Reboots {
    private static final System.Logger LOG = System.getLogger(Reboots.class.getName());

    private final ContainerizerCore core;
    private final Path bootIdSource;

    Reboots(ContainerizerCore core, Path bootIdSource) {
        this.core = core;
        this.bootIdSource = bootIdSource;
    }

    /**
     * The reason every container is lost, when the kernel's boot id differs from the one the
     * agent recorded: the machine rebooted, and no process of any container survived it.
     */
    Optional<String> since() throws IOException {
        Optional<String> recorded = core.checkpoints().readText(core.paths().bootId()).map(String::strip);
        String now = currentBootId();
        if (recorded.isEmpty() || recorded.get().equals(now)) {
            return Optional.empty();
        }
        LOG.log(Level.WARNING, "the machine rebooted since the agent last ran (boot id {0}, now {1})",
                recorded.get(), now);
        return Optional.of("lost: the machine rebooted while the agent was down (boot id " + recorded.get()
                + ", now " + now + ")");
    }

    void record() throws IOException {
        Files.createDirectories(core.paths().workDir());
        core.checkpoints().writeText(core.paths().bootId(), currentBootId());
    }

    private String currentBootId() throws IOException {
        return Files.readString(bootIdSource).strip();
    }

    static ContainerTermination lost(String message) {
        return ContainerTermination.newBuilder().setState(TaskState.TASK_LOST).setMessage(message).build();
    }

    /**
     * A sandbox without runtime records belongs to a container whose records a reboot cleared
     * (the runtime dir is on tmpfs; the checkpoint is written before the sandbox is made, and a
     * removal deletes the sandbox first). It is listed as lost until removed.
     */
    void adoptLostSandboxes(Optional<String> reboot) throws IOException {
        Path sandboxes = core.paths().sandboxes();
        if (!Files.isDirectory(sandboxes)) {
            return;
        }
        List<Path> dirs;
        try (Stream<Path> list = Files.list(sandboxes)) {
            dirs = list.sorted().toList();
        }
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            if (core.table().containsKey(name) || !valid(name)) {
                continue;
            }
            ContainerID id = ContainerID.newBuilder().setValue(name).build();
            ContainerTermination termination = lost(reboot.orElse(
                    "lost: its records in the runtime directory are gone (was runtime_dir cleared?)"));
            Container container = new Container(id, ContainerState.TERMINATED);
            container.checkpoint = ContainerCheckpoint.newBuilder().setContainerId(id).build();
            container.destroying = container.termination;
            core.checkpoints().write(core.paths().containerCheckpoint(name), container.checkpoint);
            core.checkpoints().write(core.paths().termination(name), termination);
            container.termination.complete(termination);
            core.table().put(name, container);
            LOG.log(Level.WARNING, "container {0}: {1}", name, termination.getMessage());
        }
    }

    private static boolean valid(String name) {
        try {
            ContainerIds.validate(ContainerID.newBuilder().setValue(name).build());
            return true;
        } catch (ContainerizerException e) {
            return false;
        }
    }
}
