package org.unicon.launcher.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.testkit.launcher.HiddenCgroups;

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
        assertEquals(List.of(), LinuxFixture.entries(state.resolve(chosen.name())), "probe state left");
        assertEquals(List.of(), LinuxFixture.cgroupsNamed("unicon-runtime-probe-" + ProcessHandle.current().pid()));
        if (RuntimeChoice.hybridCgroup2().isPresent() && chosen.name().equals("crun")) {
            // The wrapper must not change the host: cgroup2 keeps its controllers.
            assertTrue(Files.readString(RuntimeChoice.hybridCgroup2().get().resolve("cgroup.controllers")).length() > 1);
            // Only creating goes through the wrapper; crun itself starts, kills, deletes and lists.
            assertEquals(state.resolve("crun-hybrid"), chosen.executable());
            assertEquals(RuntimeChoice.binary("crun", "").orElseThrow(), chosen.control());
        }
    }

    @Test
    void theProbesFindingIsUsedAgainWhileNothingItDependsOnChanged() throws Exception {
        RuntimeCli chosen = RuntimeChoice.choose("auto", "", state, LinuxFixture.CGROUPS_ROOT);
        assertTrue(Files.exists(state.resolve(RuntimeChoiceRecord.FILE)), "no record of the probe's finding");
        assertEquals(chosen, RuntimeChoice.choose("auto", "", state, LinuxFixture.CGROUPS_ROOT));

        // What the record says is taken without probing: a record naming another (working)
        // runtime for the same key is what the next start uses.
        String key = RuntimeChoiceRecord.key("auto", "", LinuxFixture.CGROUPS_ROOT);
        RuntimeCli recorded = RuntimeChoice.runc("", state);
        RuntimeChoiceRecord.write(state, key, recorded);
        assertEquals(recorded, RuntimeChoice.choose("auto", "", state, LinuxFixture.CGROUPS_ROOT));

        // Another setting (here cgroups_root) is another key: probed again, and recorded.
        String otherRoot = LinuxFixture.CGROUPS_ROOT + "-other";
        assertEquals(chosen.name(), RuntimeChoice.choose("auto", "", state, otherRoot).name());
        assertEquals(Optional.empty(), RuntimeChoiceRecord.read(state, key));
        assertTrue(RuntimeChoiceRecord.read(state, RuntimeChoiceRecord.key("auto", "", otherRoot)).isPresent());
    }

    @Test
    void aRecordMadeWithAnOlderWrapperIsProbedAgainAndTheWrapperRewritten() throws Exception {
        String key = RuntimeChoiceRecord.key("auto", "", LinuxFixture.CGROUPS_ROOT);
        assertTrue(key.startsWith("wrapper=" + RuntimeChoice.WRAPPER_VERSION + ";"), key);
        Path oldWrapper = state.resolve("crun-hybrid");
        Files.createDirectories(state);
        Files.writeString(oldWrapper, "#!/bin/sh\nexec unshare -m /bin/sh -c 'umount /sys/fs/cgroup/unified; exec crun'\n");
        RuntimeChoiceRecord.write(state, key.replace("wrapper=" + RuntimeChoice.WRAPPER_VERSION + ";", "wrapper=1;"),
                new RuntimeCli("crun", oldWrapper, state.resolve("crun"), Path.of("/usr/bin/crun")));
        RuntimeCli chosen = RuntimeChoice.choose("auto", "", state, LinuxFixture.CGROUPS_ROOT);
        assertTrue(RuntimeChoiceRecord.read(state, key).isPresent(), "the new choice is recorded under the new key");
        if (chosen.executable().equals(oldWrapper)) {
            assertTrue(Files.readString(oldWrapper).contains("mount -t tmpfs"), Files.readString(oldWrapper));
        }
    }

    @Test
    void aRecordWhoseExecutableIsGoneOrThatIsNotARecordIsIgnored() throws Exception {
        String key = RuntimeChoiceRecord.key("auto", "", LinuxFixture.CGROUPS_ROOT);
        RuntimeChoiceRecord.write(state, key, new RuntimeCli("crun", state.resolve("gone"), state.resolve("crun")));
        assertEquals(Optional.empty(), RuntimeChoiceRecord.read(state, key));
        Files.writeString(state.resolve(RuntimeChoiceRecord.FILE), "key=\\u12");
        assertEquals(Optional.empty(), RuntimeChoiceRecord.read(state, key));
    }

    @Test
    void runcIsTakenAsConfiguredAndABadSettingIsAClearError() {
        assertEquals("runc", RuntimeChoice.runc("", state).name());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> RuntimeChoice.choose("docker", "", state, "unicon-test"));
        assertTrue(bad.getMessage().contains("runtime 'docker' is not runc, crun or auto"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RuntimeChoice.choose("runc", "/no/runc", state, "unicon-test"));
    }

    /**
     * The agent stopping while the launcher activates may interrupt the probe: whenever the
     * interrupt comes (before, during or after the runtime creates the probe's cgroups), nothing is
     * left — no cgroup of the probe, no root for the containers, no runtime state — and the
     * interrupt is not lost.
     */
    @Test
    void anInterruptedProbeLeavesNothingBehind() throws Exception {
        String root = "unicon-test-probe-interrupted";
        int interruptedProbes = 0;
        try {
            interruptedProbes = interruptProbes(root);
        } finally { // a failure must not leave the cgroups it found behind
            for (Path h : CgroupDirectories.hierarchies()) {
                if (Files.isDirectory(h.resolve(root))) {
                    try (Stream<Path> walk = Files.walk(h.resolve(root))) {
                        for (Path p : walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            }
        }
        System.out.println("RUNTIME probe interrupted while running in " + interruptedProbes + " of 9 attempts");
    }

    private int interruptProbes(String root) throws Exception {
        int interruptedProbes = 0;
        for (int delayMillis : new int[] {0, 2, 5, 10, 15, 20, 30, 50, 80}) {
            Path dir = Files.createDirectories(state.resolve("attempt-" + delayMillis));
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread probing = new Thread(() -> {
                try {
                    outcome.set(RuntimeChoice.choose("auto", "", dir, root));
                } catch (Exception e) {
                    outcome.set(e);
                }
                if (Thread.currentThread().isInterrupted()) {
                    outcome.set("interrupt kept: " + outcome.get());
                }
            });
            probing.start();
            Thread.sleep(delayMillis);
            probing.interrupt();
            probing.join(30_000);
            assertTrue(!probing.isAlive(), "the probe ended");
            if (String.valueOf(outcome.get()).startsWith("interrupt kept: java.io.IOException")) {
                interruptedProbes++;
            }
            for (Path h : CgroupDirectories.hierarchies()) {
                assertTrue(!Files.exists(h.resolve(root)), () -> "after an interrupt at " + delayMillis + " ms ("
                        + outcome.get() + "): the probe made the containers' root " + h.resolve(root));
            }
            assertEquals(List.of(), LinuxFixture.cgroupsNamed("unicon-runtime-probe-" + ProcessHandle.current().pid()),
                    () -> "after an interrupt at " + delayMillis + " ms (" + outcome.get() + "): the probe's cgroups are left");
            assertEquals(List.of(), HiddenCgroups.beneathCgroup2(root), "cgroups left beneath cgroup2");
            for (String runtime : new String[] {"runc", "crun"}) {
                if (Files.isDirectory(dir.resolve(runtime))) {
                    assertEquals(List.of(), LinuxFixture.entries(dir.resolve(runtime)), "probe state left");
                }
            }
        }
        return interruptedProbes;
    }
}
