package org.unicon.cli.internal;

import picocli.CommandLine.Option;

/** {@code --agent HOST:PORT}, accepted before or after the command name. */
final class AgentOption {

    @Option(names = "--agent", paramLabel = "HOST:PORT",
            description = "The agent's address (default: $UNICON_AGENT, else " + AgentAddress.DEFAULT + ").")
    String value;
}
