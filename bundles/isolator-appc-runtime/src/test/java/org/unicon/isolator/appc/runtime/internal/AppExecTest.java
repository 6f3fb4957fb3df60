package org.unicon.isolator.appc.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicon.model.CommandInfo;
import org.unicon.model.ImageRuntimeConfig;

/** The eight rows of Mesos's appc/runtime table (sh, value, argv against exec present or not). */
class AppExecTest {
    private static final ImageRuntimeConfig EXEC = ImageRuntimeConfig.newBuilder()
            .addAllCmd(List.of("/bin/httpd", "-f", "-p", "80")).build();
    private static final ImageRuntimeConfig NO_EXEC = ImageRuntimeConfig.getDefaultInstance();

    @Test
    void noValueNoArgumentsRunsExecAsItIs() {
        assertArgv("/bin/httpd", List.of("/bin/httpd", "-f", "-p", "80"), CommandInfo.newBuilder().setShell(false), EXEC);
    }

    @Test
    void argumentsReplaceExecsOwn() {
        assertArgv("/bin/httpd", List.of("/bin/httpd", "-v"),
                CommandInfo.newBuilder().setShell(false).addArguments("-v"), EXEC);
    }

    @Test
    void aValueIgnoresExecAndTakesTheArgumentsAsTheWholeArgv() {
        for (ImageRuntimeConfig image : List.of(EXEC, NO_EXEC)) {
            assertArgv("/bin/echo", List.of("/bin/echo"), CommandInfo.newBuilder().setShell(false).setValue("/bin/echo"), image);
            assertArgv("/bin/echo", List.of("echo", "a b"), CommandInfo.newBuilder().setShell(false).setValue("/bin/echo")
                    .addArguments("echo").addArguments("a b"), image);
        }
    }

    @Test
    void aShellCommandRunsUnderBinShAndIgnoresExecAndArguments() {
        for (ImageRuntimeConfig image : List.of(EXEC, NO_EXEC)) {
            assertArgv("/bin/sh", List.of("/bin/sh", "-c", "echo $PWD"),
                    CommandInfo.newBuilder().setValue("echo $PWD").addArguments("ignored"), image);
        }
    }

    @Test
    void aShellWithoutAValueIsAnError() {
        for (ImageRuntimeConfig image : List.of(EXEC, NO_EXEC)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AppExec.resolve(CommandInfo.newBuilder().addArguments("x").build(), image));
            assertTrue(e.getMessage().contains("shell=true (the default) but no value"), e.getMessage());
        }
    }

    @Test
    void withoutValueOrExecNoExecutableIsFound() {
        for (CommandInfo.Builder command : List.of(CommandInfo.newBuilder().setShell(false),
                CommandInfo.newBuilder().setShell(false).addArguments("x"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AppExec.resolve(command.build(), NO_EXEC));
            assertTrue(e.getMessage().startsWith("no executable is found"), e.getMessage());
            assertTrue(e.getMessage().contains("app.exec"), e.getMessage());
        }
    }

    private static void assertArgv(String executable, List<String> argv, CommandInfo.Builder command,
                                   ImageRuntimeConfig image) {
        CommandInfo resolved = AppExec.resolve(command.build(), image);
        assertEquals(CommandInfo.newBuilder().setShell(false).setValue(executable).addAllArguments(argv).build(), resolved);
    }
}
