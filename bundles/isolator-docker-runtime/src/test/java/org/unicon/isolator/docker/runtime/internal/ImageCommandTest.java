package org.unicon.isolator.docker.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicon.model.CommandInfo;
import org.unicon.model.ImageRuntimeConfig;

/** The command matrix of mesos.md §5, row by row. */
class ImageCommandTest {
    private static final ImageRuntimeConfig ENTRYPOINT_AND_CMD = image(List.of("/entry", "--flag"), List.of("cmd1", "cmd2"));
    private static final ImageRuntimeConfig ENTRYPOINT_ONLY = image(List.of("/entry", "--flag"), List.of());
    private static final ImageRuntimeConfig CMD_ONLY = image(List.of(), List.of("/bin/cmd", "a", "b"));
    private static final ImageRuntimeConfig NEITHER = image(List.of(), List.of());

    @Test
    void shellRunsTheValueWithBinShAndIgnoresTheImage() {
        CommandInfo command = CommandInfo.newBuilder().setShell(true).setValue("echo $HOME; exit 3").build();

        assertArgv("/bin/sh", List.of("/bin/sh", "-c", "echo $HOME; exit 3"), command, ENTRYPOINT_AND_CMD);
        assertArgv("/bin/sh", List.of("/bin/sh", "-c", "echo $HOME; exit 3"), command, NEITHER);
    }

    @Test
    void shellIsTheDefault() {
        CommandInfo command = CommandInfo.newBuilder().setValue("true").build();

        assertArgv("/bin/sh", List.of("/bin/sh", "-c", "true"), command, ENTRYPOINT_AND_CMD);
    }

    @Test
    void shellIgnoresArguments() {
        CommandInfo command = CommandInfo.newBuilder().setValue("echo").addArguments("ignored").build();

        assertArgv("/bin/sh", List.of("/bin/sh", "-c", "echo"), command, CMD_ONLY);
    }

    @Test
    void shellWithoutAValueIsRefused() {
        for (CommandInfo command : List.of(CommandInfo.getDefaultInstance(),
                CommandInfo.newBuilder().setShell(true).setValue("").build())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ImageCommand.resolve(command, ENTRYPOINT_AND_CMD));
            assertTrue(e.getMessage().contains("shell=true") && e.getMessage().contains("no value"), e.getMessage());
        }
    }

    @Test
    void valueWithArgumentsIsTheWholeArgvAndIgnoresTheImage() {
        CommandInfo command = CommandInfo.newBuilder().setShell(false).setValue("/bin/echo")
                .addArguments("echo").addArguments("a b").build();

        assertArgv("/bin/echo", List.of("echo", "a b"), command, ENTRYPOINT_AND_CMD);
    }

    @Test
    void valueWithoutArgumentsRunsWithItselfAsArgv0() {
        CommandInfo command = CommandInfo.newBuilder().setShell(false).setValue("/bin/true").build();

        assertArgv("/bin/true", List.of("/bin/true"), command, ENTRYPOINT_AND_CMD);
    }

    @Test
    void entrypointIsFollowedByTheArgumentsWhichReplaceCmd() {
        CommandInfo command = CommandInfo.newBuilder().setShell(false).addArguments("x").addArguments("y").build();

        assertArgv("/entry", List.of("/entry", "--flag", "x", "y"), command, ENTRYPOINT_AND_CMD);
        assertArgv("/entry", List.of("/entry", "--flag", "x", "y"), command, ENTRYPOINT_ONLY);
    }

    @Test
    void entrypointWithoutArgumentsIsFollowedByCmd() {
        CommandInfo command = CommandInfo.newBuilder().setShell(false).build();

        assertArgv("/entry", List.of("/entry", "--flag", "cmd1", "cmd2"), command, ENTRYPOINT_AND_CMD);
        assertArgv("/entry", List.of("/entry", "--flag"), command, ENTRYPOINT_ONLY);
    }

    @Test
    void withoutEntrypointCmdRunsWithTheArgumentsReplacingItsOwn() {
        CommandInfo command = CommandInfo.newBuilder().setShell(false).addArguments("z").build();

        assertArgv("/bin/cmd", List.of("/bin/cmd", "z"), command, CMD_ONLY);
    }

    @Test
    void withoutEntrypointOrArgumentsCmdRunsAsItIs() {
        CommandInfo command = CommandInfo.newBuilder().setShell(false).build();

        assertArgv("/bin/cmd", List.of("/bin/cmd", "a", "b"), command, CMD_ONLY);
        assertArgv("sh", List.of("sh"), command, image(List.of(), List.of("sh")));
    }

    @Test
    void withoutValueEntrypointOrCmdNoExecutableIsFound() {
        for (CommandInfo command : List.of(CommandInfo.newBuilder().setShell(false).build(),
                CommandInfo.newBuilder().setShell(false).addArguments("arg").build())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ImageCommand.resolve(command, NEITHER));
            assertTrue(e.getMessage().startsWith("no executable is found"), e.getMessage());
        }
    }

    @Test
    void theResultCarriesNothingButTheExecutableAndArgv() {
        CommandInfo command = CommandInfo.newBuilder().setShell(false).setUser("nobody")
                .addUris(CommandInfo.URI.newBuilder().setValue("http://example.org/x")).build();

        CommandInfo resolved = ImageCommand.resolve(command, CMD_ONLY);

        assertEquals(CommandInfo.newBuilder().setShell(false).setValue("/bin/cmd")
                .addAllArguments(List.of("/bin/cmd", "a", "b")).build(), resolved);
    }

    private static void assertArgv(String executable, List<String> argv, CommandInfo command, ImageRuntimeConfig image) {
        CommandInfo resolved = ImageCommand.resolve(command, image);
        assertTrue(resolved.hasShell() && !resolved.getShell(), "the resolved command must say shell=false");
        assertEquals(executable, resolved.getValue());
        assertEquals(argv, resolved.getArgumentsList());
    }

    private static ImageRuntimeConfig image(List<String> entrypoint, List<String> cmd) {
        return ImageRuntimeConfig.newBuilder().addAllEntrypoint(entrypoint).addAllCmd(cmd).build();
    }
}
