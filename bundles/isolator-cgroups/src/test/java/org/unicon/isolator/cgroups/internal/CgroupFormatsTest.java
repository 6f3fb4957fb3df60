package org.unicon.isolator.cgroups.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.model.ResourceStatistics;

/**
 * Parsing of the cgroup files and mount tables, on real contents: the v2 samples were read from
 * cgroup2 hosts (kernel 6.x), the hybrid mount table is this project machine's. This covers the
 * v2 formats on hosts whose cgroup2 offers none of the controllers (see {@link CgroupV2PathTest}).
 */
class CgroupFormatsTest {
    static final String V2_MEMORY_EVENTS = """
            low 0
            high 0
            max 1270
            oom 1
            oom_kill 1
            oom_group_kill 0
            """;
    static final String V2_MEMORY_EVENTS_QUIET = """
            low 0
            high 0
            max 0
            oom 0
            oom_kill 0
            oom_group_kill 0
            """;
    static final String V2_CPU_STAT = """
            usage_usec 2250312
            user_usec 2130107
            system_usec 120205
            core_sched.force_idle_usec 0
            nr_periods 21
            nr_throttled 19
            throttled_usec 1632614
            nr_bursts 0
            burst_usec 0
            """;
    static final String V2_MEMORY_STAT = """
            anon 34037760
            file 1228800
            kernel 462848
            kernel_stack 32768
            pagetables 167936
            sec_pagetables 0
            percpu 0
            sock 0
            vmalloc 0
            shmem 0
            zswap 0
            zswapped 0
            file_mapped 0
            file_dirty 0
            file_writeback 0
            swapcached 0
            anon_thp 0
            file_thp 0
            shmem_thp 0
            inactive_anon 34013184
            active_anon 24576
            inactive_file 1228800
            active_file 0
            unevictable 0
            slab_reclaimable 123456
            slab_unreclaimable 98765
            slab 222221
            workingset_refault_anon 0
            pgfault 9071
            pgmajfault 0
            thp_fault_alloc 0
            """;
    static final List<String> PURE_V2_MOUNTINFO = List.of(
            "22 28 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw",
            "25 22 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot");
    static final List<String> HYBRID_MOUNTINFO = List.of(
            "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
            "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
            "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct",
            "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
            "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
            "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd",
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");

    @Test
    void v2MemoryEventsCountAnOomOnlyWhenOneHappened() {
        assertTrue(OomWatch.oomIn(CgroupFiles.parseFlatKeyed(V2_MEMORY_EVENTS)));
        assertFalse(OomWatch.oomIn(CgroupFiles.parseFlatKeyed(V2_MEMORY_EVENTS_QUIET)));
        assertEquals(1270L, CgroupFiles.parseFlatKeyed(V2_MEMORY_EVENTS).get("max"));
    }

    @Test
    void v2CpuStatGivesTimesAndThrottling() {
        ResourceStatistics.Builder s = ResourceStatistics.newBuilder();
        CpuSubsystem.addV2Times(CgroupFiles.parseFlatKeyed(V2_CPU_STAT), s);
        CpuSubsystem.addV2Throttling(CgroupFiles.parseFlatKeyed(V2_CPU_STAT), s);
        assertEquals(2.130107, s.getCpusUserTimeSecs(), 1e-9);
        assertEquals(0.120205, s.getCpusSystemTimeSecs(), 1e-9);
        assertEquals(21, s.getCpusNrPeriods());
        assertEquals(19, s.getCpusNrThrottled());
        assertEquals(1.632614, s.getCpusThrottledTimeSecs(), 1e-9);
    }

    @Test
    void v2MemoryStatGivesRssAndLimits() {
        ResourceStatistics.Builder s = ResourceStatistics.newBuilder();
        MemorySubsystem.addV2(CgroupFiles.parseFlatKeyed(V2_MEMORY_STAT), 35_860_480,
                CgroupFiles.parseLimit("33554432\n"), CgroupFiles.parseLimit("max\n"), s);
        assertEquals(35_860_480, s.getMemTotalBytes());
        assertEquals(34_037_760, s.getMemRssBytes());
        assertEquals(33_554_432, s.getMemLimitBytes());
        assertFalse(s.hasMemSoftLimitBytes(), "memory.low 'max' is no soft limit to report");
    }

    @Test
    void v2LimitsAndCpuMax() {
        assertEquals(OptionalLong.empty(), CgroupFiles.parseLimit("max\n"));
        assertEquals(OptionalLong.of(16), CgroupFiles.parseLimit("16\n"));
        assertArrayEquals(new long[] {20000, 100000}, CgroupFiles.parseCpuMax("20000 100000\n"));
        assertArrayEquals(new long[] {-1, 100000}, CgroupFiles.parseCpuMax("max 100000\n"));
    }

    @Test
    void v1CpuacctStatAndOomControlAreFlatKeyed() {
        assertEquals(List.of(1523L, 87L), List.copyOf(CgroupFiles.parseFlatKeyed("user 1523\nsystem 87\n").values()));
        assertEquals(2L, CgroupFiles.parseFlatKeyed("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n").get("oom_kill"));
    }

    @Test
    void cpuSharesWeightAndQuotaFollowMesosAndRunc() {
        assertEquals(204, CpuSubsystem.shares(0.2));
        assertEquals(2, CpuSubsystem.shares(0.001));
        assertEquals(20_000, CpuSubsystem.quota(0.2));
        assertEquals(1_000, CpuSubsystem.quota(0.001));
        assertEquals(-1, CpuSubsystem.quota(Double.POSITIVE_INFINITY));
        assertEquals(1, CpuSubsystem.weight(2));
        assertEquals(39, CpuSubsystem.weight(1024));
        assertEquals(10_000, CpuSubsystem.weight(262_144));
        assertEquals(32L << 20, MemorySubsystem.bytes(10));
        assertEquals("memory limit exceeded: 48 MB", MemorySubsystem.limitation(48L << 20).getMessage());
    }

    @Test
    void aPureV2HostHasEveryControllerInTheUnifiedHierarchy() throws Exception {
        CgroupHierarchies h = CgroupHierarchies.parse(PURE_V2_MOUNTINFO,
                mount -> Set.of("cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc"));
        for (Controller c : Controller.values()) {
            assertEquals(new Hierarchy(Path.of("/sys/fs/cgroup"), true), h.require(c), c.kernelName);
        }
        assertEquals(Path.of("/sys/fs/cgroup/unicon/c1"), h.containerCgroup(Controller.MEMORY, "unicon", "c1"));
        assertEquals(List.of(Path.of("/sys/fs/cgroup/unicon/c1")),
                h.containerCgroups(Set.of(Controller.CPU, Controller.CPUACCT), "unicon", "c1"));
    }

    @Test
    void aHybridHostUsesV1WhereAControllerIsMountedThereAndV2ForTheRest() throws Exception {
        CgroupHierarchies h = CgroupHierarchies.parse(HYBRID_MOUNTINFO, mount -> Set.of("hugetlb"));
        assertEquals(new Hierarchy(Path.of("/sys/fs/cgroup/cpu"), false), h.require(Controller.CPU));
        assertEquals(new Hierarchy(Path.of("/sys/fs/cgroup/cpuacct"), false), h.require(Controller.CPUACCT));
        assertEquals(new Hierarchy(Path.of("/sys/fs/cgroup/memory"), false), h.require(Controller.MEMORY));
        assertEquals(new Hierarchy(Path.of("/sys/fs/cgroup/pids"), false), h.require(Controller.PIDS));

        List<String> withoutV1Pids = HYBRID_MOUNTINFO.stream().filter(line -> !line.endsWith("rw,pids")).toList();
        CgroupHierarchies noPids = CgroupHierarchies.parse(withoutV1Pids, mount -> Set.of("pids"));
        assertEquals(new Hierarchy(Path.of("/sys/fs/cgroup/unified"), true), noPids.require(Controller.PIDS));
        CgroupHierarchies none = CgroupHierarchies.parse(withoutV1Pids, mount -> Set.of());
        assertTrue(assertThrows(Exception.class, () -> none.require(Controller.PIDS)).getMessage()
                .contains("no 'pids' cgroup controller"));
    }

    @Test
    void coMountedCpuAndCpuacctShareOneDirectory() throws Exception {
        CgroupHierarchies h = CgroupHierarchies.parse(List.of(
                "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 - cgroup cgroup rw,cpu,cpuacct"), m -> Set.of());
        assertEquals(List.of(Path.of("/sys/fs/cgroup/cpu,cpuacct/unicon/c1")),
                h.containerCgroups(Set.of(Controller.CPU, Controller.CPUACCT), "unicon", "c1"));
    }

    @Test
    void pathsMatchTheLinuxLaunchersCgroupsPathAndNeverEscape() throws Exception {
        assertEquals("/unicon/c1", CgroupHierarchies.cgroupsPath("unicon", "c1"));
        CgroupHierarchies h = CgroupHierarchies.parse(HYBRID_MOUNTINFO, mount -> Set.of());
        assertThrows(IllegalArgumentException.class, () -> h.containerCgroup(Controller.CPU, "../etc", "c1"));
        assertThrows(IllegalArgumentException.class, () -> h.containerCgroup(Controller.CPU, "unicon", ".."));
        assertThrows(IllegalArgumentException.class, () -> h.containerCgroup(Controller.CPU, "unicon", "a/b"));
    }

    @Test
    void thisHostsMountTableIsUnderstood(@TempDir Path temp) throws Exception {
        CgroupHierarchies h = CgroupHierarchies.detect();
        for (Controller c : Controller.values()) {
            h.hierarchy(c).ifPresent(hierarchy -> assertTrue(Files.isDirectory(hierarchy.mountPoint()), hierarchy + ""));
        }
    }
}
