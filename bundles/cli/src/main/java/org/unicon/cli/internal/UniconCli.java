package org.unicon.cli.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code unicon}: the command-line client of the agent's v1 API. {@code bin/unicon} runs this
 * class for every command but {@code agent} and {@code demo}, which it handles itself (they are
 * listed here so that the help text is complete).
 *
 * <p>Exit codes: a container's own code for {@code execute} and {@code wait} (128 + the signal
 * when one killed it); otherwise 0 on success, 1 when the agent refused or failed the request,
 * 2 for usage errors, an agent that cannot be reached, or a feature that is not available yet.
 */
@Command(name = "unicon",
        mixinStandardHelpOptions = true,
        versionProvider = UniconCli.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        header = "Unicon: run containers on this machine, in the line of the Mesos containerizer.",
        description = {
            "The CLI talks to a Unicon agent over its v1 HTTP API (POST /api/v1). "
                    + "Start an agent with `bin/unicon agent`, or try everything at once with `bin/unicon demo`."},
        footer = {"",
            "Exit codes: execute and wait end with the container's exit code (128 + N when signal N killed"
                    + " it); other commands end with 0, with 1 when the agent refused the request, and with 2 for"
                    + " usage errors or when no agent can be reached.",
            "",
            "Environment: UNICON_AGENT=HOST:PORT is the agent's address when --agent is not given."},
        subcommands = {
            AgentCommand.class, DemoCommand.class, ExecuteCommand.class, PsCommand.class,
            WaitCommand.class, KillCommand.class, RemoveCommand.class, PullCommand.class, ImagesCommand.class, PruneCommand.class,
            PluginsCommand.class, UpdateCommand.class, StatsCommand.class,
            CommandLine.HelpCommand.class})
public final class UniconCli implements Runnable {

    @Mixin
    AgentOption agent;

    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;

    UniconCli(Map<String, String> environment, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command line and returns the exit code (tests call this instead of main). */
    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new UniconCli(environment, out, err))
                .setOut(new java.io.PrintWriter(out, true))
                .setErr(new java.io.PrintWriter(err, true))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler((e, arguments) -> {
                    CommandLine failed = e.getCommandLine();
                    err.println("unicon: " + e.getMessage());
                    CommandLine.UnmatchedArgumentException.printSuggestions(e, failed.getErr());
                    err.println("Try 'unicon " + subcommandPath(failed) + "--help' for more information.");
                    return CliException.USAGE;
                })
                .setExecutionExceptionHandler((e, failed, parseResult) -> {
                    if (e instanceof CliException cli) {
                        err.println("unicon: " + cli.getMessage());
                        return cli.exitCode();
                    }
                    throw e;
                });
        return commandLine.execute(args);
    }

    private static String subcommandPath(CommandLine commandLine) {
        String qualified = commandLine.getCommandSpec().qualifiedName(" ");
        String path = qualified.startsWith("unicon") ? qualified.substring("unicon".length()).strip() : qualified;
        return path.isEmpty() ? "" : path + " ";
    }

    @Override
    public void run() {
        throw CliException.usage("no command given; see 'unicon --help' (try `bin/unicon demo` first)");
    }

    /** A client of the agent named by the command's --agent, else the top level's, else the environment. */
    AgentClient client(AgentOption commandAgent) {
        String option = commandAgent != null && commandAgent.value != null ? commandAgent.value : agent.value;
        return new AgentClient(AgentAddress.choose(option, environment.get(AgentAddress.ENVIRONMENT_VARIABLE)));
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** The version is the bundle's, from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            String version = null;
            java.security.CodeSource source = UniconCli.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation().getPath().endsWith(".jar")) {
                try (JarFile jar = new JarFile(source.getLocation().getPath())) {
                    Manifest manifest = jar.getManifest();
                    version = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-Version");
                }
            }
            return new String[] {"unicon " + (version == null ? "(development build)" : version)};
        }
    }
}
