package org.unicon.isolator.docker.runtime.internal;

import java.util.ArrayList;
import java.util.List;

import org.unicon.model.CommandInfo;
import org.unicon.model.ImageRuntimeConfig;

/**
 * The command a container with a Docker image runs, from its {@code CommandInfo} and the
 * image's Entrypoint and Cmd, exactly as Mesos's docker/runtime isolator decides it:
 *
 * <ul>
 * <li>{@code shell} true (the default): {@code /bin/sh -c value}; Entrypoint and Cmd are ignored.
 * <li>{@code shell} false with a {@code value}: {@code value} with {@code arguments} as the whole
 *     argv; Entrypoint and Cmd are ignored.
 * <li>{@code shell} false without a value: Entrypoint followed by {@code arguments}, or by Cmd
 *     when there are no arguments; without an Entrypoint, Cmd[0] followed by {@code arguments},
 *     or by the rest of Cmd when there are no arguments; with neither, no executable is found.
 * </ul>
 *
 * The result is always resolved: {@code shell} false, {@code value} the executable and {@code
 * arguments} the complete argv (argv[0] included), so that the launcher need not know the image.
 */
final class ImageCommand {
    static final String SHELL = "/bin/sh";

    private ImageCommand() {}

    static CommandInfo resolve(CommandInfo command, ImageRuntimeConfig image) {
        if (command.getShell()) {
            if (!command.hasValue() || command.getValue().isEmpty()) {
                throw new IllegalArgumentException("the command has shell=true (the default) but no value:"
                        + " give a shell command, or set shell=false to run the image's Entrypoint/Cmd");
            }
            return exec(SHELL, List.of(SHELL, "-c", command.getValue()));
        }
        if (command.hasValue() && !command.getValue().isEmpty()) {
            List<String> argv = command.getArgumentsList().isEmpty()
                    ? List.of(command.getValue())
                    : command.getArgumentsList();
            return exec(command.getValue(), argv);
        }
        List<String> arguments = command.getArgumentsList();
        List<String> argv = new ArrayList<>();
        if (!image.getEntrypointList().isEmpty()) {
            argv.addAll(image.getEntrypointList());
            argv.addAll(arguments.isEmpty() ? image.getCmdList() : arguments);
        } else if (!image.getCmdList().isEmpty()) {
            argv.add(image.getCmd(0));
            argv.addAll(arguments.isEmpty() ? image.getCmdList().subList(1, image.getCmdCount()) : arguments);
        } else {
            throw new IllegalArgumentException("no executable is found: the command has shell=false and no value,"
                    + " and the image has neither Entrypoint nor Cmd; give the command a value");
        }
        return exec(argv.get(0), argv);
    }

    private static CommandInfo exec(String executable, List<String> argv) {
        return CommandInfo.newBuilder().setShell(false).setValue(executable).addAllArguments(argv).build();
    }
}
