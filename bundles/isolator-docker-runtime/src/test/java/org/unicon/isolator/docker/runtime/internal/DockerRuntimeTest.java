package org.unicon.isolator.docker.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerInfo;
import org.unicon.model.Image;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.Environment;
import org.unicon.model.ImageRuntimeConfig;
import org.unicon.testkit.isolator.TestContainerContext;

class DockerRuntimeTest {
    private static final ImageRuntimeConfig BUSYBOX = ImageRuntimeConfig.newBuilder()
            .addCmd("sh")
            .addEnv("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
            .build();

    private final DockerRuntime isolator = new DockerRuntime();

    @Test
    void busyboxWithAShellCommand() {
        ContainerLaunchInfo info = prepare(config(BUSYBOX, CommandInfo.newBuilder().setValue("echo $$"))).orElseThrow();

        assertEquals(ContainerLaunchInfo.newBuilder()
                .setCommand(CommandInfo.newBuilder().setShell(false).setValue("/bin/sh")
                        .addArguments("/bin/sh").addArguments("-c").addArguments("echo $$"))
                .setEnvironment(Environment.newBuilder().addVariables(Environment.Variable.newBuilder()
                        .setName("PATH").setType(Environment.Variable.Type.VALUE)
                        .setValue("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")))
                .build(), info);
    }

    @Test
    void busyboxWithTheImagesCmd() {
        ContainerLaunchInfo info = prepare(config(BUSYBOX, CommandInfo.newBuilder().setShell(false))).orElseThrow();

        assertEquals("sh", info.getCommand().getValue());
        assertEquals(List.of("sh"), info.getCommand().getArgumentsList());
    }

    @Test
    void theImagesWorkingDirIsTheWorkingDirectory() {
        ImageRuntimeConfig image = BUSYBOX.toBuilder().setWorkingDir("/srv/app").build();

        assertEquals("/srv/app", prepare(config(image, shell("pwd"))).orElseThrow().getWorkingDirectory());
    }

    @Test
    void aRelativeWorkingDirIsTakenFromTheRoot() {
        ImageRuntimeConfig image = BUSYBOX.toBuilder().setWorkingDir("app").build();

        assertEquals("/app", prepare(config(image, shell("pwd"))).orElseThrow().getWorkingDirectory());
    }

    @Test
    void withoutAWorkingDirTheCoresDefaultTheSandboxApplies() {
        assertFalse(prepare(config(BUSYBOX, shell("pwd"))).orElseThrow().hasWorkingDirectory());
    }

    /**
     * The core gives defaults < isolator environment < CommandInfo.environment. The image's
     * variables are the isolator's part: all of them, PATH included (it overrides the default),
     * and never the command's own (which the core applies last, so they win).
     */
    @Test
    void contributesTheImagesEnvironmentAndNotTheCommands() {
        ImageRuntimeConfig image = BUSYBOX.toBuilder().addEnv("LANG=C.UTF-8").addEnv("SHARED=image").addEnv("BROKEN").build();
        CommandInfo.Builder command = shell("env").setEnvironment(Environment.newBuilder()
                .addVariables(Environment.Variable.newBuilder().setName("SHARED").setValue("command")));

        ContainerLaunchInfo info = prepare(config(image, command)).orElseThrow();

        assertEquals(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8",
                "SHARED=image"), ImageEnvironmentTest.pairs(info.getEnvironment()));
        assertFalse(info.getCommand().hasEnvironment(), "the command's environment is the core's to apply");
    }

    @Test
    void theImagesUserIsNotApplied() {
        ImageRuntimeConfig image = BUSYBOX.toBuilder().setUser("nobody").build();

        ContainerLaunchInfo info = prepare(config(image, shell("id"))).orElseThrow();

        assertFalse(info.hasUser());
    }

    @Test
    void containersWithoutAnImageGetNothing() {
        ContainerConfig config = ContainerConfig.newBuilder().setDirectory("/tmp/sandbox")
                .setCommandInfo(CommandInfo.newBuilder().setShell(false)).build();

        assertEquals(Optional.empty(), prepare(config));
    }

    @Test
    void anImageWithNothingToRunNeedsACommand() {
        ImageRuntimeConfig scratch = ImageRuntimeConfig.getDefaultInstance();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> prepare(config(scratch, CommandInfo.newBuilder().setShell(false))));
        assertTrue(e.getMessage().contains("no executable is found"), e.getMessage());
    }

    private Optional<ContainerLaunchInfo> prepare(ContainerConfig config) {
        return isolator.prepare(new TestContainerContext("c1", config));
    }

    private static CommandInfo.Builder shell(String value) {
        return CommandInfo.newBuilder().setShell(true).setValue(value);
    }

    @Test
    void appcImagesAreLeftToAppcRuntime() {
        ContainerConfig appc = config(BUSYBOX, shell("id")).toBuilder()
                .setContainerInfo(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)
                        .setMesos(ContainerInfo.MesosInfo.newBuilder().setImage(Image.newBuilder()
                                .setType(Image.Type.APPC).setAppc(Image.Appc.newBuilder().setName("example.com/app")))))
                .build();

        assertEquals(Optional.empty(), prepare(appc));
    }

    private static ContainerConfig config(ImageRuntimeConfig image, CommandInfo.Builder command) {
        return ContainerConfig.newBuilder()
                .setContainerInfo(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)
                        .setMesos(ContainerInfo.MesosInfo.newBuilder().setImage(Image.newBuilder()
                                .setType(Image.Type.DOCKER).setDocker(Image.Docker.newBuilder().setName("busybox")))))
                .setDirectory("/var/lib/unicon/containers/c1")
                .setRootfs("/var/lib/unicon/provisioner/containers/c1/rootfs")
                .setSandboxDirectory("/mnt/mesos/sandbox")
                .setImageConfig(image)
                .setCommandInfo(command)
                .build();
    }
}
