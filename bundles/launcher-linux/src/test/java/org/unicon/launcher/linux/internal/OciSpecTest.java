package org.unicon.launcher.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.unicon.model.CapabilityInfo;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.ContainerMountInfo;
import org.unicon.model.Environment;
import org.unicon.model.RLimitInfo;

/** config.json from launch info, without running anything. */
class OciSpecTest {

    private static final Path SANDBOX = Path.of("/var/lib/unicon/containers/c1");
    private static final UserLookup.Ids ROOT = new UserLookup.Ids(0, 0, List.of());

    private static JsonNode spec(ContainerLaunchInfo.Builder info, Optional<String> hostname) {
        LinuxFixture.Request r = new LinuxFixture.Request(ContainerID.newBuilder().setValue("c1").build(), info.build(),
                SANDBOX, SANDBOX.resolve("stdout"), SANDBOX.resolve("stderr"), Path.of("/run/unicon/containers/c1/launcher"));
        return OciSpec.build(r, ROOT, Optional.of(Path.of("/images/rootfs")), hostname, "/unicon/c1");
    }

    private static ContainerLaunchInfo.Builder info(CommandInfo command) {
        return ContainerLaunchInfo.newBuilder().setCommand(command).setRootfs("/images/rootfs");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isObject() ? n.path("type").asText() : n.asText()));
        return out;
    }

    @Test
    void shellCommandsRunThroughBinShAndExecCommandsTakeTheArgumentsAsArgv() {
        assertEquals(List.of("/bin/sh", "-c", "echo hi"), strings(spec(info(LinuxFixture.shell("echo hi")),
                Optional.empty()).path("process").path("args")));
        CommandInfo exec = CommandInfo.newBuilder().setShell(false).setValue("/bin/busybox")
                .addArguments("busybox").addArguments("echo").addArguments("a b").build();
        assertEquals(List.of("/bin/busybox", "echo", "a b"),
                strings(spec(info(exec), Optional.empty()).path("process").path("args")));
    }

    @Test
    void theCommandsEnvironmentWinsAndPathIsDefaulted() {
        CommandInfo command = LinuxFixture.shell("env").toBuilder().setEnvironment(Environment.newBuilder()
                .addVariables(Environment.Variable.newBuilder().setName("A").setValue("command"))).build();
        ContainerLaunchInfo.Builder info = info(command).setEnvironment(Environment.newBuilder()
                .addVariables(Environment.Variable.newBuilder().setName("A").setValue("launch"))
                .addVariables(Environment.Variable.newBuilder().setName("B").setValue("launch")));
        assertEquals(List.of("A=command", "B=launch", "PATH=" + OciSpec.DEFAULT_PATH),
                strings(spec(info, Optional.empty()).path("process").path("env")));
    }

    @Test
    void dockersCapabilitiesByDefaultAndTheGivenOnesOtherwise() {
        JsonNode caps = spec(info(LinuxFixture.shell("true")), Optional.empty()).path("process").path("capabilities");
        assertEquals(OciSpec.DOCKER_CAPABILITIES, strings(caps.path("effective")));
        assertEquals(OciSpec.DOCKER_CAPABILITIES, strings(caps.path("bounding")));

        JsonNode given = spec(info(LinuxFixture.shell("true"))
                .setEffectiveCapabilities(CapabilityInfo.newBuilder().addCapabilities(CapabilityInfo.Capability.CHOWN)
                        .addCapabilities(CapabilityInfo.Capability.NET_ADMIN))
                .setBoundingCapabilities(CapabilityInfo.newBuilder().addCapabilities(CapabilityInfo.Capability.CHOWN)),
                Optional.empty()).path("process").path("capabilities");
        assertEquals(List.of("CAP_CHOWN"), strings(given.path("bounding")));
        assertEquals(List.of("CAP_CHOWN"), strings(given.path("effective")), "effective is limited by bounding");
    }

    @Test
    void rlimitsOnlyWhenGivenAndUnsetMeansUnlimited() {
        assertTrue(spec(info(LinuxFixture.shell("true")), Optional.empty()).path("process").path("rlimits").isMissingNode());
        JsonNode rlimits = spec(info(LinuxFixture.shell("true")).setRlimits(RLimitInfo.newBuilder()
                .addRlimits(RLimitInfo.RLimit.newBuilder().setType(RLimitInfo.RLimit.Type.RLMT_NOFILE).setSoft(1024).setHard(4096))
                .addRlimits(RLimitInfo.RLimit.newBuilder().setType(RLimitInfo.RLimit.Type.RLMT_CORE))),
                Optional.empty()).path("process").path("rlimits");
        assertEquals("RLIMIT_NOFILE", rlimits.get(0).path("type").asText());
        assertEquals(1024, rlimits.get(0).path("soft").asLong());
        assertEquals(4096, rlimits.get(0).path("hard").asLong());
        assertEquals("18446744073709551615", rlimits.get(1).path("hard").bigIntegerValue().toString());
        assertThrows(IllegalArgumentException.class, () -> spec(info(LinuxFixture.shell("true")).setRlimits(
                RLimitInfo.newBuilder().addRlimits(RLimitInfo.RLimit.newBuilder()
                        .setType(RLimitInfo.RLimit.Type.RLMT_NOFILE).setSoft(10))), Optional.empty()));
    }

    @Test
    void namespacesAlwaysIncludeMountWithARootfsAndTheHostnameNeedsUts() {
        JsonNode plain = spec(info(LinuxFixture.shell("true")), Optional.of("box"));
        assertEquals(List.of("mount"), strings(plain.path("linux").path("namespaces")));
        assertFalse(plain.has("hostname"), "no hostname without a UTS namespace");
        assertEquals("/unicon/c1", plain.path("linux").path("cgroupsPath").asText());

        JsonNode uts = spec(info(LinuxFixture.shell("true")).addCloneNamespaces(OciSpec.CLONE_NEWPID)
                .addCloneNamespaces(OciSpec.CLONE_NEWUTS | OciSpec.CLONE_NEWIPC), Optional.of("box"));
        assertEquals(List.of("pid", "ipc", "uts", "mount"), strings(uts.path("linux").path("namespaces")));
        assertEquals("box", uts.path("hostname").asText());
    }

    @Test
    void mountsAreTranslatedInOrder() {
        JsonNode mounts = spec(info(LinuxFixture.shell("true"))
                .addMounts(LinuxFixture.proc())
                .addMounts(LinuxFixture.bind(Path.of("/data"), "/data", true))
                .addMounts(ContainerMountInfo.newBuilder().setSource("/cache").setTarget("/cache")
                        .setFlags(OciMounts.MS_BIND | OciMounts.MS_NOEXEC | OciMounts.MS_SLAVE))
                .addMounts(ContainerMountInfo.newBuilder().setTarget("/").setFlags(OciMounts.MS_SLAVE | OciMounts.MS_REC)),
                Optional.empty());
        JsonNode m = mounts.path("mounts");
        assertEquals(3, m.size());
        assertEquals("proc", m.get(0).path("type").asText());
        assertEquals(List.of("nosuid", "nodev", "noexec"), strings(m.get(0).path("options")));
        assertEquals("bind", m.get(1).path("type").asText());
        assertEquals(List.of("rbind", "ro"), strings(m.get(1).path("options")));
        assertEquals(List.of("bind", "noexec", "slave"), strings(m.get(2).path("options")));
        assertEquals("rslave", mounts.path("linux").path("rootfsPropagation").asText());
        assertEquals(OciSpec.MASKED_PATHS, strings(mounts.path("linux").path("maskedPaths")));
    }

    @Test
    void refusesWhatItCannotExpress() {
        assertThrows(IllegalArgumentException.class, () -> spec(info(LinuxFixture.shell("true"))
                .addEnterNamespaces(OciSpec.CLONE_NEWNET), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> spec(info(LinuxFixture.shell("true"))
                .addCloneNamespaces(OciSpec.CLONE_NEWUSER), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> spec(info(LinuxFixture.shell("true"))
                .addMounts(ContainerMountInfo.newBuilder().setTarget("/x").setSource("/y").setFlags(OciMounts.MS_REMOUNT)),
                Optional.empty()));
        IllegalArgumentException noCommand = assertThrows(IllegalArgumentException.class,
                () -> spec(ContainerLaunchInfo.newBuilder().setRootfs("/r"), Optional.empty()));
        assertTrue(noCommand.getMessage().contains("no command"), noCommand.getMessage());
    }

    @Test
    void withoutARootfsTheContainerRunsOnTheHostTreeInItsSandboxAndTakesNoMounts() {
        LinuxFixture.Request r = new LinuxFixture.Request(ContainerID.newBuilder().setValue("c1").build(),
                ContainerLaunchInfo.newBuilder().setCommand(LinuxFixture.shell("true")).build(), SANDBOX,
                SANDBOX.resolve("stdout"), SANDBOX.resolve("stderr"), Path.of("/run/x/launcher"));
        JsonNode spec = OciSpec.build(r, ROOT, Optional.empty(), Optional.empty(), "/unicon/c1");
        assertEquals("/", spec.path("root").path("path").asText());
        assertEquals(SANDBOX.toString(), spec.path("process").path("cwd").asText());
        assertEquals(List.of(), strings(spec.path("linux").path("namespaces")));

        LinuxFixture.Request withMount = new LinuxFixture.Request(r.containerId(), r.launchInfo().toBuilder()
                .addMounts(LinuxFixture.proc()).build(), SANDBOX, r.stdout(), r.stderr(), r.directory());
        assertThrows(IllegalArgumentException.class,
                () -> OciSpec.build(withMount, ROOT, Optional.empty(), Optional.empty(), "/unicon/c1"));
    }
}
