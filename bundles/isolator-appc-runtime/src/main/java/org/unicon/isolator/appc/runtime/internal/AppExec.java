package org.unicon.isolator.appc.runtime.internal;

import java.util.ArrayList;
import java.util.List;

import org.unicon.model.CommandInfo;
import org.unicon.model.ImageRuntimeConfig;

/**
 * The command a container with an appc image runs, from its {@code CommandInfo} and the
 * manifest's {@code app.exec}, by the table of Mesos's appc/runtime isolator. The appc store
 * hands exec over as the image config's Cmd (appc has no Entrypoint):
 *
 * <ul>
 * <li>{@code shell} true (the default): {@code /bin/sh -c value}; exec is ignored; no value is an error.
 * <li>{@code shell} false with a {@code value}: {@code value} with {@code arguments} as the whole
 *     argv (just {@code value} when there are none); exec is ignored.
 * <li>{@code shell} false without a value: exec[0], followed by {@code arguments} when there are
 *     some, else by the rest of exec; without exec, no executable is found.
 * </ul>
 *
 * The result is always resolved ({@code shell} false, {@code value} the executable, {@code
 * arguments} the whole argv), so that the launcher need not know the image. These are the rows
 * of docker/runtime's rule for an image with Cmd and no Entrypoint.
 */
final class AppExec {
    static final String SHELL = "/bin/sh";

    private AppExec() {}

    static CommandInfo resolve(CommandInfo command, ImageRuntimeConfig image) {
        if (command.getShell()) {
            if (command.getValue().isEmpty()) {
                throw new IllegalArgumentException("the command has shell=true (the default) but no value: give a"
                        + " shell command, or set shell=false to run the image's app.exec");
            }
            return exec(SHELL, List.of(SHELL, "-c", command.getValue()));
        }
        if (!command.getValue().isEmpty()) {
            return exec(command.getValue(), command.getArgumentsList().isEmpty()
                    ? List.of(command.getValue()) : command.getArgumentsList());
        }
        if (!image.getEntrypointList().isEmpty() || image.getCmdList().isEmpty()) {
            throw new IllegalArgumentException("no executable is found: the command has shell=false and no value,"
                    + " and the image's manifest has no app.exec; give the command a value");
        }
        List<String> argv = new ArrayList<>();
        argv.add(image.getCmd(0));
        argv.addAll(command.getArgumentsList().isEmpty()
                ? image.getCmdList().subList(1, image.getCmdCount()) : command.getArgumentsList());
        return exec(argv.get(0), argv);
    }

    private static CommandInfo exec(String executable, List<String> argv) {
        return CommandInfo.newBuilder().setShell(false).setValue(executable).addAllArguments(argv).build();
    }
}
