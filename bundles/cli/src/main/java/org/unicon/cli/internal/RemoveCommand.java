package org.unicon.cli.internal;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code remove ID}: forgets a terminated container and deletes its sandbox. */
@Command(name = "remove", mixinStandardHelpOptions = true,
        header = "Remove a terminated container and its sandbox.",
        description = {"Forgets the container's termination and deletes its sandbox (stdout, stderr). "
                    + "A running container cannot be removed: kill it first."})
final class RemoveCommand implements Callable<Integer> {

    @ParentCommand
    UniconCli unicon;

    @Mixin
    AgentOption agent;

    @Parameters(paramLabel = "ID", description = "The container ID.")
    String id;

    @Override
    public Integer call() {
        ContainerCalls.remove(unicon.client(agent), id);
        return 0;
    }
}
