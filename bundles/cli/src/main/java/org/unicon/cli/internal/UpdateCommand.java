package org.unicon.cli.internal;

import java.util.concurrent.Callable;

import org.unicon.model.agent.Call;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code update ID --resources=...}: new limits for a running container. */
@Command(name = "update", mixinStandardHelpOptions = true,
        header = "Change a running container's resources (cpus, mem, pids) live.",
        description = {
            "Gives a running container new resources; the isolators apply them at once (cgroups/cpu "
                    + "the cpu shares and quota, cgroups/mem the memory limit, cgroups/pids the process "
                    + "limit). A memory limit below what the container uses is refused when the kernel "
                    + "cannot reclaim enough, and the old limit stays.",
            "",
            "Example:",
            "  unicon update web --resources='cpus:1;mem:256'"})
final class UpdateCommand implements Callable<Integer> {

    @ParentCommand
    UniconCli unicon;

    @Mixin
    AgentOption agent;

    @Parameters(paramLabel = "ID", description = "The container ID.")
    String id;

    @Option(names = "--resources", paramLabel = "RESOURCES", required = true,
            description = "The container's new resources, as for execute: 'cpus:0.5;mem:64;pids:100'.")
    String resources;

    @Override
    public Integer call() {
        Call call = Call.newBuilder()
                .setType(Call.Type.UPDATE_CONTAINER)
                .setUpdateContainer(Call.UpdateContainer.newBuilder()
                        .setContainerId(ContainerCalls.id(id))
                        .addAllResources(ResourcesFlag.parse(resources)))
                .build();
        unicon.client(agent).call(call);
        return 0;
    }
}
