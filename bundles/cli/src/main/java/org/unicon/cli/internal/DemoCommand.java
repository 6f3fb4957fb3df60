package org.unicon.cli.internal;

import picocli.CommandLine.Command;

/** {@code demo}: documented here, run by {@code bin/unicon} itself (it builds and starts things). */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Build if needed, start an agent, run a container, print its output, stop again.",
        description = {
            "For a fresh machine: builds Unicon when the build is missing or older than the sources, "
                    + "starts an agent in the background with its own temporary configuration and state "
                    + "directories on a free loopback port, runs a container that prints something, shows its "
                    + "output and exit code, then stops the agent and removes everything it made."},
        footer = {"", "This command is handled by bin/unicon: run `bin/unicon demo`."})
final class DemoCommand implements Runnable {

    @Override
    public void run() {
        throw CliException.usage("`demo` is run by the bin/unicon script: use `bin/unicon demo`");
    }
}
