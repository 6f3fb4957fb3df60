package com.example.unicon.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerInfo;
import org.unicon.model.Image;
import org.unicon.model.IsolatorCheckpoint;
import org.unicon.model.Resource;
import org.unicon.model.Value;
import org.unicon.testkit.isolator.TestContainerContext;
import org.unicon.testkit.isolator.TestRecoveredContainer;

class AuditIsolatorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:15:30.250Z"), ZoneOffset.UTC);
    private static final String AT = "2026-11-21T10:15:30.250Z ";

    @TempDir
    Path temp;

    private TestContainerContext context(String id) throws Exception {
        Path sandbox = Files.createDirectories(temp.resolve("sandboxes").resolve(id));
        ContainerConfig config = ContainerConfig.newBuilder().setDirectory(sandbox.toString())
                .setContainerInfo(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)
                        .setMesos(ContainerInfo.MesosInfo.newBuilder().setImage(Image.newBuilder()
                                .setType(Image.Type.DOCKER).setDocker(Image.Docker.newBuilder().setName("busybox")))))
                .build();
        return new TestContainerContext(id, config);
    }

    private static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    private static List<String> lines(TestContainerContext context, String file) throws Exception {
        return Files.readAllLines(context.sandbox().resolve(file));
    }

    @Test
    void writesOneLinePerLifecycleEventIntoTheSandbox() throws Exception {
        AuditIsolator isolator = new AuditIsolator("audit.log", CLOCK);
        TestContainerContext c1 = context("c1");

        assertEquals(Optional.empty(), isolator.prepare(c1), "vendor/audit changes nothing about the launch");
        isolator.isolate(c1.containerId(), 4242);
        isolator.update(c1.containerId(), List.of(scalar("cpus", 0.5), scalar("mem", 64)),
                Map.of("cpus", Value.Scalar.newBuilder().setValue(1).build()));
        isolator.cleanup(c1.containerId());
        isolator.cleanup(c1.containerId());

        assertEquals(List.of(AT + "prepare container=c1 image=docker:busybox", AT + "isolate container=c1 pid=4242",
                AT + "update container=c1 resources=cpus:0.5;mem:64 limits=cpus:1", AT + "cleanup container=c1"),
                lines(c1, "audit.log"));
    }

    @Test
    void checkpointsTheSandboxAndFileAndANewInstanceRecoversFromThem() throws Exception {
        TestContainerContext c1 = context("c1");
        new AuditIsolator("events.txt", CLOCK).prepare(c1);
        assertEquals("format=1\nsandbox=" + c1.sandbox() + "\nfile=events.txt\n",
                new String(c1.checkpointed().orElseThrow(), StandardCharsets.UTF_8));

        AuditIsolator restarted = new AuditIsolator("audit.log", CLOCK);
        restarted.recover(List.of(TestRecoveredContainer.of(c1, "vendor/audit", "1.0.0")), Set.of());
        restarted.isolate(c1.containerId(), 7);
        restarted.cleanup(c1.containerId());

        assertEquals(List.of(AT + "prepare container=c1 image=docker:busybox",
                AT + "recover container=c1 state_version=1.0.0", AT + "isolate container=c1 pid=7",
                AT + "cleanup container=c1"), lines(c1, "events.txt"), "the recovered container keeps its file");
        assertFalse(Files.exists(c1.sandbox().resolve("audit.log")));
    }

    @Test
    void containersItNeverPreparedOrCannotReadTheStateOfAreNotAudited() throws Exception {
        TestContainerContext unaudited = context("unaudited");
        TestContainerContext unreadable = context("unreadable");
        IsolatorCheckpoint future = IsolatorCheckpoint.newBuilder().setIsolator("vendor/audit").setVersion("2.0.0")
                .setState(com.google.protobuf.ByteString.copyFromUtf8("format=2\nsandboxes=[]\n")).build();
        AuditIsolator isolator = new AuditIsolator("audit.log", CLOCK);

        isolator.recover(List.of(TestRecoveredContainer.withoutState(unaudited.containerId(), unaudited.config()),
                new TestRecoveredContainer(unreadable.containerId(), unreadable.config(), OptionalLong.empty(),
                        Optional.of(future))), Set.of(ContainerID.newBuilder().setValue("orphan").build()));
        isolator.isolate(unaudited.containerId(), 1);
        isolator.update(unreadable.containerId(), List.of(), Map.of());
        isolator.cleanup(ContainerID.newBuilder().setValue("orphan").build());

        assertFalse(Files.exists(unaudited.sandbox().resolve("audit.log")));
        assertFalse(Files.exists(unreadable.sandbox().resolve("audit.log")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuditState.decode(future.getState().toByteArray(), "2.0.0"));
        assertEquals("state written by vendor/audit 2.0.0 has format '2', but this version reads format 1", e.getMessage());
    }

    @Test
    void aSymbolicLinkInPlaceOfTheAuditFileIsNotFollowedAndThePrepareFails() throws Exception {
        TestContainerContext c1 = context("c1");
        Path hostFile = Files.writeString(temp.resolve("host-file"), "untouched\n");
        Files.createSymbolicLink(c1.sandbox().resolve("audit.log"), hostFile);

        Exception e = assertThrows(Exception.class, () -> new AuditIsolator("audit.log", CLOCK).prepare(c1));

        assertTrue(e.getMessage().startsWith("cannot append to the audit file " + c1.sandbox().resolve("audit.log")
                + " of container 'c1'"), e.getMessage());
        assertEquals("untouched\n", Files.readString(hostFile));
        assertTrue(c1.checkpointed().isEmpty(), "nothing is checkpointed for a container that is not audited");
    }

    @Test
    void aBadAuditFileSettingIsRefusedNamingTheKeyAndTheOldOneStays() throws Exception {
        AuditIsolator isolator = new AuditIsolator("audit.log", CLOCK);
        for (String bad : List.of("", "../escape", "sub/file", "..", "stdout")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> isolator.useFile(bad));
            assertTrue(e.getMessage().startsWith("audit_file '" + bad + "' is not usable"), e.getMessage());
        }
        TestContainerContext c1 = context("c1");
        isolator.prepare(c1);
        assertEquals(1, lines(c1, "audit.log").size());

        isolator.useFile("second.log");
        TestContainerContext c2 = context("c2");
        isolator.prepare(c2);
        assertEquals(List.of(AT + "prepare container=c2 image=docker:busybox"), lines(c2, "second.log"));
    }
}
