package org.unicon.cli.internal;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerInfo;
import org.unicon.model.Image;
import org.unicon.model.NetworkInfo;
import org.unicon.model.agent.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ps}: the agent's containers, running and terminated. */
@Command(name = "ps", mixinStandardHelpOptions = true,
        header = "List containers: ID, state, image, exit status, addresses, host ports, command.",
        description = {"Lists every container the agent knows, running or terminated (terminated ones stay "
                    + "listed until `unicon remove ID`). IP shows the addresses a running container has on its CNI "
                    + "networks; PORTS its port mappings as HOST->CONTAINER/PROTOCOL, with the host ports the agent "
                    + "assigned for host_port 0."})
final class PsCommand implements Callable<Integer> {

    @ParentCommand
    UniconCli unicon;

    @Mixin
    AgentOption agent;

    @Option(names = {"-q", "--quiet"}, description = "Print only the container IDs.")
    boolean quiet;

    @Override
    public Integer call() {
        List<Response.GetContainers.Container> containers = ContainerCalls.list(unicon.client(agent));
        if (quiet) {
            containers.forEach(c -> unicon.out().println(c.getContainerId().getValue()));
            return 0;
        }
        Table table = new Table("ID", "STATE", "IMAGE", "EXIT", "IP", "PORTS", "COMMAND");
        for (Response.GetContainers.Container c : containers) {
            List<NetworkInfo> networks = c.getContainerStatus().getNetworkInfosList();
            table.row(c.getContainerId().getValue(),
                    c.hasState() ? c.getState().name() : "",
                    image(c.getContainerInfo()),
                    c.hasTermination() ? Termination.of(c.getTermination()).brief() : "",
                    NetworksFlag.addresses(networks),
                    NetworksFlag.ports(networks),
                    command(c.getCommand()));
        }
        table.print(unicon.out());
        return 0;
    }

    static String image(ContainerInfo info) {
        if (info.hasMesos() && info.getMesos().hasImage()) {
            Image image = info.getMesos().getImage();
            String type = image.getType().name().toLowerCase(Locale.ROOT);
            if (image.hasDocker()) {
                return type + ":" + image.getDocker().getName();
            }
            if (image.hasAppc()) {
                return type + ":" + image.getAppc().getName();
            }
        }
        if (info.hasDocker()) {
            return "docker:" + info.getDocker().getImage();
        }
        return "";
    }

    static String command(CommandInfo command) {
        String text = command.getShell() || command.getArgumentsCount() == 0
                ? command.getValue()
                : String.join(" ", command.getArgumentsList());
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
