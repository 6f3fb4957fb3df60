package org.unicon.isolator.cgroups.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.unicon.isolator.Isolator;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLimitation;
import org.unicon.model.ResourceStatistics;
import org.unicon.model.TaskStatus;
import org.unicon.model.Value;
import org.unicon.testkit.isolator.TestContainerContext;
import org.unicon.testkit.isolator.TestRecoveredContainer;

/**
 * The isolators against the real kernel, with real processes placed by isolate. Subclasses say
 * which hierarchies they need ({@link #requireHierarchy}); the scenarios then run on whatever
 * version (v1 or v2) this host has for each controller.
 */
abstract class CgroupScenarios {
    /** Safety net against a hang, not a timing assertion. */
    private static final long HANG_SECONDS = 120;

    protected final CgroupHierarchies hierarchies;

    CgroupScenarios() throws Exception {
        hierarchies = TestCgroups.hierarchies();
    }

    /** Skips the test (with a message saying why) when this host cannot run it on the wanted path. */
    protected abstract void requireHierarchy(Controller controller);

    @AfterEach
    void noCgroupLeft() throws Exception {
        TestCgroups.assertNothingLeft();
    }

    private static ContainerID id(String value) {
        return ContainerID.newBuilder().setValue(value).build();
    }

    private static TestContainerContext prepare(Isolator isolator, String id, ContainerConfig config) throws Exception {
        TestContainerContext context = new TestContainerContext(id, config);
        isolator.prepare(context);
        return context;
    }

    /** 64 MB in one buffer that read(2) from /dev/zero fills, so every page is really touched. */
    private static final String ALLOCATE_64MB = "dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null && echo allocated";

    @Test
    void allocatingPastTheLimitIsKilledAndReportedAsAMemoryLimitation() throws Exception {
        requireHierarchy(Controller.MEMORY);
        CgroupIsolator mem = new CgroupIsolator(hierarchies, TestCgroups.ROOT, new MemorySubsystem());
        prepare(mem, "oom", TestCgroups.config(0, 32));
        try (TestCgroups.ContainerProcess p = new TestCgroups.ContainerProcess(ALLOCATE_64MB + "; exit 3")) {
            mem.isolate(id("oom"), p.pid());
            p.go();
            ContainerLimitation limitation = mem.watch(id("oom")).toCompletableFuture().get(HANG_SECONDS, TimeUnit.SECONDS);
            assertEquals(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY, limitation.getReason());
            assertEquals("memory limit exceeded: 32 MB", limitation.getMessage());
            assertEquals("mem", limitation.getResources(0).getName());
            assertEquals(32.0, limitation.getResources(0).getScalar().getValue());
            assertEquals(3, p.process.waitFor(), "the shell goes on after its dd is killed");
            for (String line = p.readLine(); line != null; line = p.readLine()) {
                assertNotEquals("allocated", line, "dd was not killed");
            }
        } finally {
            mem.cleanup(id("oom"));
        }
    }

    @Test
    void oneThreadWatchesEveryContainerForOomAndEndsWithTheLastWatch() throws Exception {
        requireHierarchy(Controller.MEMORY);
        CgroupIsolator mem = new CgroupIsolator(hierarchies, TestCgroups.ROOT, new MemorySubsystem());
        List<String> ids = List.of("quiet-1", "hungry", "quiet-2");
        for (String id : ids) {
            prepare(mem, id, TestCgroups.config(0, 32));
        }
        try (TestCgroups.ContainerProcess p = new TestCgroups.ContainerProcess(ALLOCATE_64MB + "; exit 3")) {
            assertEquals(1, Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("cgroups-oom")).count(), "threads watching for OOM");
            mem.isolate(id("hungry"), p.pid());
            p.go();
            assertEquals("memory limit exceeded: 32 MB",
                    mem.watch(id("hungry")).toCompletableFuture().get(HANG_SECONDS, TimeUnit.SECONDS).getMessage());
            assertEquals(3, p.process.waitFor());
            assertFalse(mem.watch(id("quiet-1")).toCompletableFuture().isDone(), "an OOM reported for quiet-1");
            assertFalse(mem.watch(id("quiet-2")).toCompletableFuture().isDone(), "an OOM reported for quiet-2");
        } finally {
            for (String id : ids) {
                mem.cleanup(id(id));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_SECONDS);
        while (OomWatch.serving() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(OomWatch.serving(), "the OOM thread ends with the last watch");
    }

    @Test
    void raisingTheLimitWithUpdateLetsTheSameAllocationSucceed() throws Exception {
        requireHierarchy(Controller.MEMORY);
        CgroupIsolator mem = new CgroupIsolator(hierarchies, TestCgroups.ROOT, new MemorySubsystem());
        prepare(mem, "raised", TestCgroups.config(0, 32));
        try (TestCgroups.ContainerProcess p = new TestCgroups.ContainerProcess(ALLOCATE_64MB)) {
            mem.isolate(id("raised"), p.pid());
            mem.update(id("raised"), List.of(TestCgroups.scalar("mem", 128)), Map.of());
            assertEquals(128L << 20, mem.usage(id("raised")).getMemLimitBytes());
            p.go();
            assertEquals("allocated", p.readLine());
            assertEquals(0, p.process.waitFor());
            assertFalse(mem.watch(id("raised")).toCompletableFuture().isDone(), "an OOM was reported");
        } finally {
            mem.cleanup(id("raised"));
        }
    }

    @Test
    void loweringTheLimitBelowUsageIsRefusedWithAClearError() throws Exception {
        requireHierarchy(Controller.MEMORY);
        CgroupIsolator mem = new CgroupIsolator(hierarchies, TestCgroups.ROOT, new MemorySubsystem());
        prepare(mem, "lowered", TestCgroups.config(0, 256));
        // The shell keeps 64 MB in a variable (anonymous memory; there is no swap to push it to).
        try (TestCgroups.ContainerProcess p = new TestCgroups.ContainerProcess(
                "x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo holding; read y")) {
            mem.isolate(id("lowered"), p.pid());
            p.go();
            assertEquals("holding", p.readLine());
            Exception e = assertThrows(Exception.class,
                    () -> mem.update(id("lowered"), List.of(TestCgroups.scalar("mem", 32)), Map.of()));
            assertTrue(e.getMessage().startsWith("cannot set the memory limit of container 'lowered' to 32 MB (it uses "),
                    e.getMessage());
            assertEquals(256L << 20, mem.usage(id("lowered")).getMemLimitBytes(), "the old limit stays");
            assertFalse(mem.watch(id("lowered")).toCompletableFuture().isDone(), "the kernel killed instead of refusing");
        } finally {
            mem.cleanup(id("lowered"));
        }
    }

    @Test
    void aFifthOfACpuWithCfsGivesABusyLoopAboutAFifthOfACore() throws Exception {
        requireHierarchy(Controller.CPU);
        requireHierarchy(Controller.CPUACCT);
        CgroupIsolator cpu = new CgroupIsolator(hierarchies, TestCgroups.ROOT, new CpuSubsystem(true));
        prepare(cpu, "busy", TestCgroups.config(0.2, 0));
        try (TestCgroups.ContainerProcess p = new TestCgroups.ContainerProcess("while :; do :; done")) {
            cpu.isolate(id("busy"), p.pid());
            p.go();
            Thread.sleep(300); // let the loop start
            ResourceStatistics before = cpu.usage(id("busy"));
            long start = System.nanoTime();
            Thread.sleep(2000);
            ResourceStatistics after = cpu.usage(id("busy"));
            double wall = (System.nanoTime() - start) / 1e9;
            double share = (cpuTime(after) - cpuTime(before)) / wall;
            assertTrue(share >= 0.1 && share <= 0.35, "the busy loop got " + share + " of a core, not about 0.2");
            assertEquals(0.2, after.getCpusLimit(), 1e-9);
            assertTrue(after.getCpusNrThrottled() > before.getCpusNrThrottled(), "no throttling was counted");
            assertTrue(after.getCpusThrottledTimeSecs() > 0);
        } finally {
            TestCgroups.killAll(hierarchies.containerCgroup(Controller.CPU, TestCgroups.ROOT, "busy"));
            cpu.cleanup(id("busy"));
        }
    }

    private static double cpuTime(ResourceStatistics s) {
        return s.getCpusUserTimeSecs() + s.getCpusSystemTimeSecs();
    }

    @Test
    void sharesWithoutCfsLeaveTheCpuUncapped() throws Exception {
        requireHierarchy(Controller.CPU);
        CgroupIsolator cpu = new CgroupIsolator(hierarchies, TestCgroups.ROOT, new CpuSubsystem(false));
        prepare(cpu, "shares", TestCgroups.config(0.5, 0));
        try {
            Path dir = hierarchies.containerCgroup(Controller.CPU, TestCgroups.ROOT, "shares");
            if (hierarchies.require(Controller.CPU).v2()) {
                assertEquals("max 100000", Files.readString(dir.resolve("cpu.max")).strip());
                assertEquals(Long.toString(CpuSubsystem.weight(512)), Files.readString(dir.resolve("cpu.weight")).strip());
            } else {
                assertEquals("512", Files.readString(dir.resolve("cpu.shares")).strip());
                assertEquals("-1", Files.readString(dir.resolve("cpu.cfs_quota_us")).strip());
            }
            cpu.update(id("shares"), List.of(TestCgroups.scalar("cpus", 2)), Map.of("cpus",
                    Value.Scalar.newBuilder().setValue(1.5).build()));
            assertEquals(1.5, cpu.usage(id("shares")).getCpusLimit(), 1e-9, "a cpus limit sets a quota even without CFS");
        } finally {
            cpu.cleanup(id("shares"));
        }
    }

    @Test
    void aForkBombStopsAtThePidsLimitAndStaysKillable() throws Exception {
        requireHierarchy(Controller.PIDS);
        CgroupIsolator pids = new CgroupIsolator(hierarchies, TestCgroups.ROOT, new PidsSubsystem(16));
        prepare(pids, "bomb", TestCgroups.config(0, 0));
        Path cgroup = hierarchies.containerCgroup(Controller.PIDS, TestCgroups.ROOT, "bomb");
        // dash gives up at its first failed fork, so an outer loop starts the bomb again and again.
        try (TestCgroups.ContainerProcess p = new TestCgroups.ContainerProcess(
                "while :; do sh -c 'while :; do sleep 1000 & done'; done")) {
            pids.isolate(id("bomb"), p.pid());
            p.go();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_SECONDS);
            while (refusedForks(cgroup) < 100 && System.nanoTime() < deadline) {
                int processes = pids.usage(id("bomb")).getProcesses();
                assertTrue(processes <= 16, processes + " processes are in a cgroup limited to 16");
                Thread.sleep(20);
            }
            assertTrue(refusedForks(cgroup) >= 100, "the kernel refused only " + refusedForks(cgroup) + " forks");
            String line = p.readLine();
            assertTrue(line != null && line.toLowerCase().contains("fork"), "the shell did not report a failed fork: " + line);
            int processes = pids.usage(id("bomb")).getProcesses();
            assertTrue(processes <= 16, "the bomb grew past its limit: " + processes + " processes");
            TestCgroups.killAll(cgroup);
            assertEquals(List.of(), Files.readAllLines(cgroup.resolve("cgroup.procs")));
        } finally {
            TestCgroups.killAll(cgroup);
            pids.cleanup(id("bomb"));
        }
    }

    /** The kernel's count of forks refused at pids.max ({@code pids.events}, v1 and v2). */
    private static long refusedForks(Path cgroup) throws java.io.IOException {
        return CgroupFiles.readFlatKeyed(cgroup.resolve("pids.events")).getOrDefault("max", 0L);
    }

    @Test
    void usageNumbersMove() throws Exception {
        requireHierarchy(Controller.CPU);
        requireHierarchy(Controller.CPUACCT);
        requireHierarchy(Controller.MEMORY);
        requireHierarchy(Controller.PIDS);
        List<CgroupIsolator> isolators = List.of(
                new CgroupIsolator(hierarchies, TestCgroups.ROOT, new CpuSubsystem(false)),
                new CgroupIsolator(hierarchies, TestCgroups.ROOT, new MemorySubsystem()),
                new CgroupIsolator(hierarchies, TestCgroups.ROOT, new PidsSubsystem(0)));
        ContainerConfig config = TestCgroups.config(1, 256);
        for (CgroupIsolator i : isolators) {
            prepare(i, "moving", config);
        }
        try (TestCgroups.ContainerProcess p = new TestCgroups.ContainerProcess(
                "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; x=$(head -c 33554432 /dev/zero | tr '\\0' a);"
                        + " echo done; read y")) {
            for (CgroupIsolator i : isolators) {
                i.isolate(id("moving"), p.pid());
            }
            ResourceStatistics before = merged(isolators);
            p.go();
            assertEquals("done", p.readLine());
            ResourceStatistics after = merged(isolators);
            assertTrue(cpuTime(after) > cpuTime(before), "cpu time did not grow: " + before + " -> " + after);
            assertTrue(after.getMemTotalBytes() >= 32L << 20, "memory usage " + after.getMemTotalBytes());
            assertTrue(after.getMemRssBytes() >= 32L << 20, "rss " + after.getMemRssBytes());
            assertEquals(256L << 20, after.getMemLimitBytes());
            assertEquals(1, after.getProcesses());
            assertEquals(1.0, after.getCpusLimit(), 1e-9);
        } finally {
            for (CgroupIsolator i : isolators) {
                i.cleanup(id("moving"));
            }
        }
    }

    private static ResourceStatistics merged(List<CgroupIsolator> isolators) throws Exception {
        ResourceStatistics.Builder b = ResourceStatistics.newBuilder();
        for (CgroupIsolator i : isolators) {
            b.mergeFrom(i.usage(id("moving")));
        }
        return b.build();
    }

    @Test
    void recoverReopensTheOomWatchAndDestroysUnownedCgroups() throws Exception {
        requireHierarchy(Controller.MEMORY);
        CgroupIsolator before = new CgroupIsolator(hierarchies, TestCgroups.ROOT, new MemorySubsystem());
        TestContainerContext context = prepare(before, "recovered", TestCgroups.config(0, 32));
        before.close(); // the bundle stops; the container and its cgroups stay
        Path stray = hierarchies.rootCgroup(Controller.MEMORY, TestCgroups.ROOT).resolve("stray");
        Files.createDirectory(stray);
        Process strayProcess = new ProcessBuilder("sleep", "300").start();
        Files.writeString(stray.resolve("cgroup.procs"), Long.toString(strayProcess.pid()));
        CgroupIsolator after = new CgroupIsolator(hierarchies, TestCgroups.ROOT, new MemorySubsystem());
        try (TestCgroups.ContainerProcess p = new TestCgroups.ContainerProcess(ALLOCATE_64MB)) {
            after.recover(List.of(TestRecoveredContainer.of(context, "cgroups/mem", "0.1.0")), Set.of());
            assertFalse(Files.exists(stray), "a cgroup no container owns is destroyed");
            assertTrue(strayProcess.waitFor(HANG_SECONDS, TimeUnit.SECONDS), "what ran in it is killed");
            assertEquals(List.of(), after.unowned(Set.of("recovered")));
            after.isolate(id("recovered"), p.pid());
            p.go();
            CompletableFuture<ContainerLimitation> watch = after.watch(id("recovered")).toCompletableFuture();
            assertEquals("memory limit exceeded: 32 MB", watch.get(HANG_SECONDS, TimeUnit.SECONDS).getMessage());
            assertNotEquals(0, p.process.waitFor());
        } finally {
            strayProcess.destroyForcibly().waitFor();
            Files.deleteIfExists(stray);
            after.cleanup(id("recovered"));
        }
    }
}
