package org.unicon.isolator.cgroups.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.unicon.model.Resource;
import org.unicon.model.ResourceStatistics;
import org.unicon.model.Value;

/**
 * {@code cgroups/cpu}: CPU shares from the {@code cpus} resource (1024 per cpu, at least 2) and,
 * when CFS is enabled or a {@code cpus} limit is given, a CFS quota of that many cpus per 100 ms
 * period (at least 1 ms; an infinite limit is no quota). Statistics: user and system time from
 * cpuacct, throttling from {@code cpu.stat}. In cgroup v2 shares become {@code cpu.weight} (the
 * conversion runc and systemd use) and the quota {@code cpu.max}.
 */
final class CpuSubsystem implements Subsystem {
    static final long PERIOD_US = 100_000;
    static final long MIN_QUOTA_US = 1_000;
    static final long SHARES_PER_CPU = 1024;
    static final long MIN_SHARES = 2;

    private final boolean enableCfs;
    private final long ticksPerSecond;

    CpuSubsystem(boolean enableCfs) {
        this.enableCfs = enableCfs;
        long tick = LibC.INSTANCE.sysconf(LibC._SC_CLK_TCK);
        this.ticksPerSecond = tick > 0 ? tick : 100;
    }

    @Override
    public String isolatorName() {
        return "cgroups/cpu";
    }

    @Override
    public Set<Controller> controllers() {
        return Set.of(Controller.CPU, Controller.CPUACCT);
    }

    static long shares(double cpus) {
        return Math.max((long) (SHARES_PER_CPU * cpus), MIN_SHARES);
    }

    /** runc's and systemd's mapping of shares [2, 262144] onto weight [1, 10000]. */
    static long weight(long shares) {
        return Math.min(Math.max(1 + ((shares - 2) * 9999) / 262142, 1), 10_000);
    }

    /** The quota in µs per {@link #PERIOD_US}, -1 for none. */
    static long quota(double cpus) {
        return Double.isInfinite(cpus) ? -1 : Math.max((long) (PERIOD_US * cpus), MIN_QUOTA_US);
    }

    @Override
    public void apply(ContainerCgroups cgroups, List<Resource> resources, Map<String, Value.Scalar> limits)
            throws IOException {
        double cpus = Subsystem.scalar(resources, "cpus");
        Value.Scalar limit = limits.get("cpus");
        if (cpus < 0 && limit == null) {
            return;
        }
        long quota = limit != null ? quota(limit.getValue()) : enableCfs && cpus >= 0 ? quota(cpus) : -1;
        Path dir = cgroups.dir(Controller.CPU);
        if (cgroups.v2(Controller.CPU)) {
            if (cpus >= 0) {
                CgroupFiles.write(dir.resolve("cpu.weight"), Long.toString(weight(shares(cpus))));
            }
            CgroupFiles.write(dir.resolve("cpu.max"), (quota < 0 ? CgroupFiles.V2_MAX : Long.toString(quota)) + " " + PERIOD_US);
        } else {
            if (cpus >= 0) {
                CgroupFiles.write(dir.resolve("cpu.shares"), Long.toString(shares(cpus)));
            }
            CgroupFiles.write(dir.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
            CgroupFiles.write(dir.resolve("cpu.cfs_quota_us"), Long.toString(quota));
        }
    }

    @Override
    public void usage(ContainerCgroups cgroups, ResourceStatistics.Builder statistics) throws IOException {
        Path acct = cgroups.dir(Controller.CPUACCT);
        Path cpu = cgroups.dir(Controller.CPU);
        if (cgroups.v2(Controller.CPUACCT)) {
            Map<String, Long> stat = CgroupFiles.readFlatKeyed(acct.resolve("cpu.stat"));
            addV2Times(stat, statistics);
        } else {
            Map<String, Long> stat = CgroupFiles.readFlatKeyed(acct.resolve("cpuacct.stat"));
            statistics.setCpusUserTimeSecs(stat.getOrDefault("user", 0L) / (double) ticksPerSecond);
            statistics.setCpusSystemTimeSecs(stat.getOrDefault("system", 0L) / (double) ticksPerSecond);
        }
        if (cgroups.v2(Controller.CPU)) {
            addV2Throttling(CgroupFiles.readFlatKeyed(cpu.resolve("cpu.stat")), statistics);
            long[] max = CgroupFiles.parseCpuMax(java.nio.file.Files.readString(cpu.resolve("cpu.max")));
            if (max[0] > 0) {
                statistics.setCpusLimit(max[0] / (double) max[1]);
            }
        } else {
            Map<String, Long> stat = CgroupFiles.readFlatKeyed(cpu.resolve("cpu.stat"));
            statistics.setCpusNrPeriods((int) (long) stat.getOrDefault("nr_periods", 0L));
            statistics.setCpusNrThrottled((int) (long) stat.getOrDefault("nr_throttled", 0L));
            statistics.setCpusThrottledTimeSecs(stat.getOrDefault("throttled_time", 0L) / 1e9);
            long quota = CgroupFiles.readLong(cpu.resolve("cpu.cfs_quota_us"));
            OptionalLong period = CgroupFiles.readLongIfExists(cpu.resolve("cpu.cfs_period_us"));
            statistics.setCpusLimit(quota > 0 && period.isPresent() ? quota / (double) period.getAsLong()
                    : CgroupFiles.readLong(cpu.resolve("cpu.shares")) / (double) SHARES_PER_CPU);
        }
    }

    /** v2 {@code cpu.stat} times are in µs. */
    static void addV2Times(Map<String, Long> stat, ResourceStatistics.Builder statistics) {
        statistics.setCpusUserTimeSecs(stat.getOrDefault("user_usec", 0L) / 1e6);
        statistics.setCpusSystemTimeSecs(stat.getOrDefault("system_usec", 0L) / 1e6);
    }

    static void addV2Throttling(Map<String, Long> stat, ResourceStatistics.Builder statistics) {
        statistics.setCpusNrPeriods((int) (long) stat.getOrDefault("nr_periods", 0L));
        statistics.setCpusNrThrottled((int) (long) stat.getOrDefault("nr_throttled", 0L));
        statistics.setCpusThrottledTimeSecs(stat.getOrDefault("throttled_usec", 0L) / 1e6);
    }
}
