package org.unicon.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.unicon.model.agent.Call;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code prune}: remove images and layers nothing uses (Mesos's PRUNE_IMAGES). */
@Command(name = "prune", mixinStandardHelpOptions = true,
        header = "Remove images (and layers) that no container uses.",
        description = {"Removes every stored image except those given with --keep and those used by a container "
                + "that has not been removed, then every layer no remaining image or container uses."})
final class PruneCommand implements Callable<Integer> {

    @ParentCommand
    UniconCli unicon;

    @Mixin
    AgentOption agent;

    @Option(names = "--keep", paramLabel = "DOCKER_IMAGE", description = "A Docker image to keep (repeatable).")
    List<String> keep = new ArrayList<>();

    @Override
    public Integer call() {
        Call.PruneImages.Builder prune = Call.PruneImages.newBuilder();
        keep.forEach(name -> prune.addExcludedImages(ImageFlag.docker(name)));
        unicon.client(agent).call(Call.newBuilder().setType(Call.Type.PRUNE_IMAGES).setPruneImages(prune).build());
        unicon.out().println("pruned" + (keep.isEmpty() ? "" : ", keeping " + String.join(", ", keep)));
        return 0;
    }
}
