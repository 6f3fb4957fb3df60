package org.unicon.cli.internal;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kill ID}: sends a signal to the container's command. */
@Command(name = "kill", mixinStandardHelpOptions = true,
        header = "Send a signal to a container (default KILL).",
        description = {
            "Sends the signal to the container's command. KILL (the default) destroys the whole "
                    + "container. The container stays listed, TERMINATED, until `unicon remove ID`."})
final class KillCommand implements Callable<Integer> {

    @ParentCommand
    UniconCli unicon;

    @Mixin
    AgentOption agent;

    @Parameters(paramLabel = "ID", description = "The container ID.")
    String id;

    @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL",
            description = "A signal name or number: TERM, SIGTERM or 15 (default: KILL).")
    String signal;

    @Override
    public Integer call() {
        Integer number = signal == null ? null : Signals.parse(signal);
        unicon.client(agent).call(ContainerCalls.killCall(id, number));
        return 0;
    }
}
