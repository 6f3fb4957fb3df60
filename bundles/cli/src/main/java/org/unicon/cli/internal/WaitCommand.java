package org.unicon.cli.internal;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code wait ID}: blocks until the container has ended and exits with its exit code. */
@Command(name = "wait", mixinStandardHelpOptions = true,
        header = "Wait for a container to end; exit with its exit code.",
        description = {
            "Blocks until the container has terminated (returns at once if it already has), then exits "
                    + "with its exit code, or 128 + N when signal N killed it (and says so on stderr)."})
final class WaitCommand implements Callable<Integer> {

    @ParentCommand
    UniconCli unicon;

    @Mixin
    AgentOption agent;

    @Parameters(paramLabel = "ID", description = "The container ID.")
    String id;

    @Override
    public Integer call() {
        AgentClient.Answer answer = unicon.client(agent).call(ContainerCalls.waitCall(id));
        Termination termination = Termination.of(answer.response().getWaitContainer());
        String report = termination.report(id);
        if (!report.isEmpty()) {
            unicon.err().println(report);
        }
        return termination.cliExitCode();
    }
}
