package org.unicon.cli.internal;

import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agent}: documented here, run by {@code bin/unicon} itself (it execs the Felix runtime,
 * which this client cannot do). Reaching this class means the CLI was started directly.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        header = "Run the agent (the Felix runtime) in the foreground; stop it with Ctrl-C or SIGTERM.",
        description = {
            "Starts the OSGi runtime assembled in runtime/ (core, posix launcher, HTTP API, shell) "
                    + "and serves the v1 API on the address in etc/unicon.agent.http.cfg (default "
                    + AgentAddress.DEFAULT + "). "
                    + "Configuration is read by FileInstall from the etc directory (unicon.agent.cfg, "
                    + "unicon.agent.http.cfg); edits take effect without a restart. Bundles dropped into "
                    + "runtime/deploy/ are installed and started. When stdin is a terminal, the Gogo shell "
                    + "runs on it (try `lb`, `scr:list`).",
            "",
            "Containers outlive the agent: when it stops (or dies) they keep running, and the next agent "
                    + "reattaches them, reports the exit codes of those that ended meanwhile, and destroys what "
                    + "a crash left half-made. After a reboot they are reported lost."},
        footer = {"", "This command is handled by bin/unicon: run `bin/unicon agent`."})
final class AgentCommand implements Runnable {

    @Option(names = "--etc", paramLabel = "DIR",
            description = "The configuration directory FileInstall watches (default: runtime/etc).")
    Path etc;

    @Option(names = "--data", paramLabel = "DIR",
            description = "The runtime's own data: Felix's bundle cache, emptied at every start, and JNA's native"
                    + " library (default: /var/lib/unicon/felix).")
    Path data;

    @Option(names = "--deploy", paramLabel = "DIR",
            description = "The hot-deploy directory for bundles (default: runtime/deploy).")
    Path deploy;

    @Option(names = "--stop-containers",
            description = "Destroy every container when the agent stops (default: they keep running; also the"
                    + " stop_containers_on_shutdown key of unicon.agent.cfg).")
    boolean stopContainers;

    @Override
    public void run() {
        throw CliException.usage("`agent` is run by the bin/unicon script: use `bin/unicon agent`");
    }
}
