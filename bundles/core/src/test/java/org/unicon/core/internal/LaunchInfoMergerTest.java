package org.unicon.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.ContainerMountInfo;
import org.unicon.model.Environment;

class LaunchInfoMergerTest {
    private static Environment env(String name, String value) {
        return Environment.newBuilder().addVariables(Environment.Variable.newBuilder().setName(name).setValue(value)).build();
    }

    @Test
    void mergesInPrepareOrderLaterEnvironmentWins() {
        LaunchInfoMerger merger = new LaunchInfoMerger();
        merger.add("a", ContainerLaunchInfo.newBuilder().setEnvironment(env("X", "1")).addCloneNamespaces(0x20000)
                .addMounts(ContainerMountInfo.newBuilder().setTarget("/one")).build());
        merger.add("b", ContainerLaunchInfo.newBuilder().setEnvironment(env("X", "2")).addCloneNamespaces(0x20000)
                .addMounts(ContainerMountInfo.newBuilder().setTarget("/two")).setWorkingDirectory("/w").build());
        ContainerLaunchInfo merged = merger.result().build();
        assertEquals(List.of(0x20000), merged.getCloneNamespacesList());
        assertEquals(List.of("/one", "/two"), merged.getMountsList().stream().map(ContainerMountInfo::getTarget).toList());
        assertEquals("/w", merged.getWorkingDirectory());
        assertEquals("2", merger.environment().get(0).getValue());
    }

    @Test
    void twoWorkingDirectoriesAreAConflictNamingBothIsolators() {
        LaunchInfoMerger merger = new LaunchInfoMerger();
        merger.add("docker/runtime", ContainerLaunchInfo.newBuilder().setWorkingDirectory("/a").build());
        var e = assertThrows(IllegalArgumentException.class,
                () -> merger.add("appc/runtime", ContainerLaunchInfo.newBuilder().setWorkingDirectory("/b").build()));
        assertEquals("isolators 'docker/runtime' and 'appc/runtime' both set working_directory; only one may",
                e.getMessage());
    }

    @Test
    void isolatorsMayNotSetRootfsOrUser() {
        LaunchInfoMerger merger = new LaunchInfoMerger();
        var e = assertThrows(IllegalArgumentException.class,
                () -> merger.add("rogue", ContainerLaunchInfo.newBuilder().setUser("root").build()));
        assertEquals("isolator 'rogue' set user, which only the containerizer may set", e.getMessage());
    }
}
