package org.unicon.cli.internal;

import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerInfo;
import org.unicon.model.agent.Call;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code execute}: launches a standalone container with {@code mesos-execute}'s flags, streams its
 * stdout and stderr, and ends with its exit code; or, with {@code --detach}, prints its ID.
 */
@Command(name = "execute", mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Launch a container and stream its output (like mesos-execute).",
        description = {
            "Launches a standalone container running --command, copies its stdout and stderr here "
                    + "while it runs, removes it once it has ended (unless --keep) and exits with its exit code, "
                    + "or 128 + N when signal N killed it. With --detach, prints the container ID and returns "
                    + "at once; follow up with `unicon wait ID`, `unicon kill ID`, `unicon remove ID`. "
                    + "Ctrl-C kills the container (SIGKILL) and removes it."},
        footer = {"", "Examples:",
            "  unicon execute --command='echo hello; exit 3'     # prints hello, exits 3",
            "  unicon execute --name=web --detach --resources='cpus:0.5;mem:64' \\",
            "                 --command='sleep 1000'             # prints web",
            "  unicon execute --name=www --detach --docker_image=busybox --networks=unicon \\",
            "                 --port_mappings='[{\"host_port\":0,\"container_port\":80}]' \\",
            "                 --command='httpd -f -p 80'         # see unicon ps"})
final class ExecuteCommand implements Callable<Integer> {

    static final String DEFAULT_RESOURCES = "cpus:1;mem:128";

    @ParentCommand
    UniconCli unicon;

    @Mixin
    AgentOption agent;

    @Option(names = "--command", paramLabel = "COMMAND",
            description = "The command to run: a shell command line (with --shell=true), else an executable"
                    + " and its arguments separated by spaces.")
    String command;

    @Option(names = "--shell", paramLabel = "true|false", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Run --command with /bin/sh -c (default: ${DEFAULT-VALUE}).")
    boolean shell;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The container ID (default: a generated one). No '/', '\\', '.' or spaces, at most 242"
                    + " characters.")
    String name;

    @Option(names = "--resources", paramLabel = "RESOURCES", defaultValue = DEFAULT_RESOURCES,
            description = "Resources in Mesos syntax, name:value parts separated by ';'"
                    + " (default: ${DEFAULT-VALUE}). E.g. 'cpus:0.5;mem:64', 'ports:[31000-31005]'.")
    String resources;

    @Option(names = "--env", paramLabel = "JSON",
            description = "Environment variables as a JSON object, e.g. '{\"NAME\":\"value\"}', or the path of a file"
                    + " (/path or file:///path) holding one.")
    String env;

    @Option(names = "--volumes", paramLabel = "JSON",
            description = "Mesos volumes, a JSON array (or a file holding it), e.g."
                    + " [{\"container_path\":\"/data\",\"host_path\":\"/srv/data\",\"mode\":\"RO\"}].")
    String volumes;

    @Option(names = "--networks", paramLabel = "NAMES",
            description = "CNI networks to join, separated by commas (the agent's network/cni isolator; its"
                    + " network_cni_config_dir names them), e.g. --networks=web. Without it the container shares the"
                    + " host's network.")
    String networks;

    @Option(names = "--port_mappings", paramLabel = "JSON",
            description = "Ports of the host forwarded to the container on the first of --networks: a JSON array"
                    + " (or a file holding one) of {\"host_port\":H,\"container_port\":C,\"protocol\":\"tcp\"|\"udp\"},"
                    + " e.g. [{\"host_port\":0,\"container_port\":80}]. host_port 0 takes a free port of the agent's"
                    + " range (see `unicon ps`).")
    String portMappings;

    @Option(names = "--docker_image", paramLabel = "IMAGE",
            description = "Run in a Docker image: [REGISTRY[:PORT]/]REPOSITORY[:TAG|@DIGEST], e.g. busybox."
                    + " Without --command the image's entrypoint runs.")
    String dockerImage;

    @Option(names = "--appc_image", paramLabel = "IMAGE",
            description = "Run in an appc image: NAME[,label=value...] (os=linux, arch=amd64 by default).")
    String appcImage;

    @Option(names = {"-d", "--detach"}, description = "Print the container ID and return once it runs.")
    boolean detach;

    @Option(names = "--keep", description = "Do not remove the container (and its sandbox) once it has ended.")
    boolean keep;

    @Override
    public Integer call() {
        if (dockerImage != null && appcImage != null) {
            throw CliException.usage("--docker_image and --appc_image cannot both be given: a container has one image");
        }
        boolean image = dockerImage != null || appcImage != null;
        if ((command == null || command.isBlank()) && !image) {
            throw CliException.usage("--command is required (e.g. --command='echo hello'), unless an image's"
                    + " entrypoint runs (--docker_image=IMAGE without --command)");
        }
        Call.LaunchContainer launch = launchRequest();
        String id = launch.getContainerId().getValue();
        AgentClient client = unicon.client(agent);

        AgentClient.Answer answer = client.send(Call.newBuilder()
                .setType(Call.Type.LAUNCH_CONTAINER).setLaunchContainer(launch).build());
        if (answer.status() == 202) {
            throw new CliException(CliException.AGENT_REFUSED, "a container with ID '" + id
                    + "' exists already: choose another --name, or remove it with `unicon remove " + id + "`");
        }
        if (!answer.ok()) {
            // A failed launch leaves the container's termination behind (if the ID was valid).
            if (!keep) {
                ContainerCalls.removeQuietly(client, id);
            }
            // The agent's reason names the container when it failed one; else say which.
            String reason = client.refused(answer).getMessage();
            throw new CliException(CliException.AGENT_REFUSED,
                    reason.contains("'" + id + "'") ? reason : "cannot launch container " + id + ": " + reason);
        }
        if (detach) {
            unicon.out().println(id);
            return 0;
        }
        return follow(client, id);
    }

    Call.LaunchContainer launchRequest() {
        String id = name != null ? name : UUID.randomUUID().toString();
        CommandInfo.Builder info = CommandInfo.newBuilder().setShell(shell);
        if (command == null || command.isBlank()) {
            // No command: the image's entrypoint and cmd run (Mesos: shell=false without a value).
            info.setShell(false);
        } else if (shell) {
            info.setValue(command);
        } else {
            // Mesos's convention: value is the executable, arguments the whole argv (argv[0] included).
            String[] argv = command.strip().split("\\s+");
            info.setValue(argv[0]).addAllArguments(Arrays.asList(argv));
        }
        if (env != null) {
            info.setEnvironment(EnvironmentFlag.parse(env));
        }
        Call.LaunchContainer.Builder launch = Call.LaunchContainer.newBuilder()
                .setContainerId(ContainerID.newBuilder().setValue(id))
                .setCommand(info)
                .addAllResources(ResourcesFlag.parse(resources));
        if (dockerImage != null || appcImage != null || volumes != null || networks != null || portMappings != null) {
            ContainerInfo.Builder container = ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS);
            if (dockerImage != null || appcImage != null) {
                container.setMesos(ContainerInfo.MesosInfo.newBuilder().setImage(
                        dockerImage != null ? ImageFlag.docker(dockerImage) : ImageFlag.appc(appcImage)));
            }
            if (volumes != null) {
                container.addAllVolumes(VolumesFlag.parse(volumes));
            }
            container.addAllNetworkInfos(NetworksFlag.parse(networks, portMappings));
            launch.setContainer(container);
        }
        return launch.build();
    }

    /** Streams the container's output until it has ended; returns the exit code to end with. */
    private int follow(AgentClient client, String id) {
        KillOnInterrupt interrupt = new KillOnInterrupt(client, id, keep, unicon.err());
        Runtime.getRuntime().addShutdownHook(interrupt);
        AgentClient.Answer answer;
        try {
            CompletableFuture<AgentClient.Answer> waiting = client.sendAsync(ContainerCalls.waitCall(id));
            SandboxFile stdout = new SandboxFile(client, id, "stdout", unicon.out());
            SandboxFile stderr = new SandboxFile(client, id, "stderr", unicon.err());
            long pauseMillis = 10;
            while (!waiting.isDone()) {
                boolean output = stdout.copyNewBytes() | stderr.copyNewBytes();
                pauseMillis = output ? 10 : Math.min(pauseMillis * 2, 200);
                if (!output) {
                    pause(waiting, pauseMillis);
                }
            }
            stdout.drain();
            stderr.drain();
            answer = result(waiting);
        } finally {
            interrupt.disarm();
            removeHook(interrupt);
        }
        if (!answer.ok()) {
            throw client.refused(answer);
        }
        Termination termination = Termination.of(answer.response().getWaitContainer());
        if (!keep) {
            ContainerCalls.remove(client, id);
        }
        String report = termination.report(id);
        if (!report.isEmpty()) {
            unicon.err().println(report);
        }
        return termination.cliExitCode();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down already: the disarmed hook does nothing.
        }
    }

    private static void pause(CompletableFuture<?> waiting, long millis) {
        try {
            waiting.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Timeout: time to poll again. Failure: result() reports it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.USAGE, "interrupted");
        }
    }

    private static AgentClient.Answer result(CompletableFuture<AgentClient.Answer> waiting) {
        try {
            return waiting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof CliException cli) {
                throw cli;
            }
            throw e;
        }
    }
}
