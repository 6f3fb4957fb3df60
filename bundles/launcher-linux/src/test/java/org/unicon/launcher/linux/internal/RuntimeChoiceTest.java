package org.unicon.launcher.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime setting against the real host; the probe leaves nothing behind. */
class RuntimeChoiceTest {

    @TempDir
    Path state;

    @Test
    void autoPicksARuntimeThatRunsContainersHere() throws Exception {
        RuntimeCli chosen = RuntimeChoice.choose("auto", "", state, LinuxFixture.CGROUPS_ROOT);
        System.out.println("RUNTIME auto chose " + chosen.name() + " (" + chosen.executable() + ")");
        assertTrue(chosen.name().equals("crun") || chosen.name().equals("runc"), chosen.toString());
        assertEquals(state.resolve(chosen.name()), chosen.root());
        assertEquals(java.util.List.of(), LinuxFixture.entries(state.resolve(chosen.name())), "probe state left");
        assertEquals(java.util.List.of(), LinuxFixture.cgroupsNamed("unicon-runtime-probe-" + ProcessHandle.current().pid()));
        if (RuntimeChoice.hybridCgroup2().isPresent() && chosen.name().equals("crun")) {
            // The wrapper must not change the host: cgroup2 keeps its controllers.
            assertTrue(Files.readString(RuntimeChoice.hybridCgroup2().get().resolve("cgroup.controllers")).length() > 1);
        }
    }

    @Test
    void runcIsTakenAsConfiguredAndABadSettingIsAClearError() {
        assertEquals("runc", RuntimeChoice.runc("", state).name());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> RuntimeChoice.choose("docker", "", state, "unicon-test"));
        assertTrue(bad.getMessage().contains("runtime 'docker' is not runc, crun or auto"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RuntimeChoice.choose("runc", "/no/runc", state, "unicon-test"));
    }
}
