package org.unicon.isolator.appc.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerInfo;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.Environment;
import org.unicon.model.Image;
import org.unicon.model.ImageRuntimeConfig;
import org.unicon.testkit.isolator.TestContainerContext;

/** What appc/runtime contributes for a container of an appc image, as the appc store describes it. */
class AppcRuntimeTest {
    /** What the store makes of {@code "app": {"exec": ["/bin/sh","-c","pwd"], "environment": [...], ...}}. */
    private static final ImageRuntimeConfig APP = ImageRuntimeConfig.newBuilder()
            .addAllCmd(List.of("/bin/sh", "-c", "pwd; echo $GREETING"))
            .addEnv("GREETING=hello from the manifest").addEnv("PATH=/bin").addEnv("SHARED=image")
            .setWorkingDir("/srv/app").setUser("0:0").build();

    private final AppcRuntime isolator = new AppcRuntime();

    @Test
    void theManifestsExecEnvironmentAndWorkingDirectoryAreTheContribution() {
        ContainerLaunchInfo info = prepare(config(Image.Type.APPC, APP, CommandInfo.newBuilder().setShell(false)))
                .orElseThrow();

        assertEquals(ContainerLaunchInfo.newBuilder()
                .setCommand(CommandInfo.newBuilder().setShell(false).setValue("/bin/sh")
                        .addAllArguments(List.of("/bin/sh", "-c", "pwd; echo $GREETING")))
                .setEnvironment(Environment.newBuilder()
                        .addVariables(variable("GREETING", "hello from the manifest"))
                        .addVariables(variable("PATH", "/bin")).addVariables(variable("SHARED", "image")))
                .setWorkingDirectory("/srv/app").build(), info);
    }

    /**
     * docker/runtime's precedence: the core applies defaults < isolator environment <
     * CommandInfo.environment, so the contribution is the image's variables only; a user's
     * shell command replaces exec but keeps the manifest's environment and directory.
     */
    @Test
    void aShellCommandReplacesExecAndTheCommandsEnvironmentIsLeftToTheCore() {
        CommandInfo.Builder command = CommandInfo.newBuilder().setValue("env").setEnvironment(Environment.newBuilder()
                .addVariables(variable("SHARED", "command")));

        ContainerLaunchInfo info = prepare(config(Image.Type.APPC, APP, command)).orElseThrow();

        assertEquals(List.of("/bin/sh", "-c", "env"), info.getCommand().getArgumentsList());
        assertFalse(info.getCommand().hasEnvironment(), "the command's environment is the core's to apply");
        assertEquals("image", info.getEnvironment().getVariables(2).getValue());
        assertEquals("/srv/app", info.getWorkingDirectory());
    }

    @Test
    void withoutAWorkingDirectoryTheCoresDefaultApplies() {
        ImageRuntimeConfig app = APP.toBuilder().clearWorkingDir().build();
        assertFalse(prepare(config(Image.Type.APPC, app, CommandInfo.newBuilder().setShell(false)))
                .orElseThrow().hasWorkingDirectory());
    }

    @Test
    void theAppsUserIsNotApplied() {
        ImageRuntimeConfig nobody = APP.toBuilder().setUser("nobody:nogroup").build();
        assertFalse(prepare(config(Image.Type.APPC, nobody, CommandInfo.newBuilder().setShell(false)))
                .orElseThrow().hasUser());
    }

    @Test
    void dockerImagesAndContainersWithoutAnImageGetNothing() {
        assertEquals(Optional.empty(), prepare(config(Image.Type.DOCKER, APP, CommandInfo.newBuilder().setShell(false))));
        ContainerConfig none = ContainerConfig.newBuilder().setDirectory("/tmp/sandbox")
                .setCommandInfo(CommandInfo.newBuilder().setValue("true")).build();
        assertEquals(Optional.empty(), prepare(none));
    }

    private Optional<ContainerLaunchInfo> prepare(ContainerConfig config) {
        return isolator.prepare(new TestContainerContext("c1", config));
    }

    private static Environment.Variable variable(String name, String value) {
        return Environment.Variable.newBuilder().setName(name).setType(Environment.Variable.Type.VALUE)
                .setValue(value).build();
    }

    private static ContainerConfig config(Image.Type type, ImageRuntimeConfig app, CommandInfo.Builder command) {
        Image.Builder image = Image.newBuilder().setType(type);
        if (type == Image.Type.APPC) {
            image.setAppc(Image.Appc.newBuilder().setName("example.com/app"));
        } else {
            image.setDocker(Image.Docker.newBuilder().setName("busybox"));
        }
        return ContainerConfig.newBuilder().setDirectory("/var/lib/unicon/containers/c1")
                .setRootfs("/var/lib/unicon/provisioner/containers/c1/rootfs").setSandboxDirectory("/mnt/mesos/sandbox")
                .setContainerInfo(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)
                        .setMesos(ContainerInfo.MesosInfo.newBuilder().setImage(image)))
                .setImageConfig(app).setCommandInfo(command).build();
    }
}
