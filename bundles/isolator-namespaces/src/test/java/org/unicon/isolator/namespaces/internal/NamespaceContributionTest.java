package org.unicon.isolator.namespaces.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicon.isolator.Isolator;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.testkit.isolator.TestContainerContext;

class NamespaceContributionTest {
    private static final ContainerConfig IMAGELESS = ContainerConfig.newBuilder()
            .setDirectory("/tmp/sandbox")
            .setCommandInfo(CommandInfo.newBuilder().setValue("true"))
            .build();
    private static final ContainerConfig WITH_IMAGE = IMAGELESS.toBuilder()
            .setRootfs("/tmp/rootfs").setSandboxDirectory("/mnt/mesos/sandbox").build();

    @Test
    void pidContributesExactlyANewPidNamespace() throws Exception {
        assertOnlyNamespace(new PidNamespaceComponent(), 0x20000000);
    }

    @Test
    void ipcContributesExactlyANewIpcNamespace() throws Exception {
        assertOnlyNamespace(new IpcNamespaceComponent(), 0x08000000);
    }

    private static void assertOnlyNamespace(Isolator isolator, int flag) throws Exception {
        for (ContainerConfig config : List.of(IMAGELESS, WITH_IMAGE)) {
            ContainerLaunchInfo info = isolator.prepare(new TestContainerContext("c1", config)).orElseThrow();
            assertEquals(ContainerLaunchInfo.newBuilder().addCloneNamespaces(flag).build(), info);
        }
    }
}
