package org.unicon.isolator.cgroups.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.unicon.model.ContainerLimitation;
import org.unicon.model.Resource;
import org.unicon.model.ResourceStatistics;
import org.unicon.model.TaskStatus;
import org.unicon.model.Value;

/**
 * {@code cgroups/mem}: a hard limit from the {@code mem} limit, or else the {@code mem} resource
 * (MB, at least 32 as in Mesos; infinite = none), with swap pinned so the limit holds for
 * memory+swap; a soft limit from the {@code mem} resource when a separate limit is given. OOM kills
 * are watched ({@link OomWatch}) and reported as a memory limitation. Lowering the limit below what
 * the container uses is tried; the kernel reclaims what it can and refuses otherwise, which is
 * reported as such.
 */
final class MemorySubsystem implements Subsystem {
    static final long MB = 1024 * 1024;
    static final long MIN_BYTES = 32 * MB;

    @Override
    public String isolatorName() {
        return "cgroups/mem";
    }

    @Override
    public Set<Controller> controllers() {
        return Set.of(Controller.MEMORY);
    }

    /** Bytes of {@code mb} megabytes, at least 32 MB; -1 for an infinite value. */
    static long bytes(double mb) {
        return Double.isInfinite(mb) ? -1 : Math.max((long) (mb * MB), MIN_BYTES);
    }

    @Override
    public void apply(ContainerCgroups cgroups, List<Resource> resources, Map<String, Value.Scalar> limits)
            throws IOException {
        double request = Subsystem.scalar(resources, "mem");
        Value.Scalar limit = limits.get("mem");
        if (request < 0 && limit == null) {
            return;
        }
        long hard = bytes(limit != null ? limit.getValue() : request);
        Path dir = cgroups.dir(Controller.MEMORY);
        boolean v2 = cgroups.v2(Controller.MEMORY);
        setHardLimit(cgroups.containerId(), dir, v2, hard);
        if (limit != null && request >= 0) {
            long soft = bytes(request);
            CgroupFiles.write(dir.resolve(v2 ? "memory.low" : "memory.soft_limit_in_bytes"),
                    soft < 0 ? (v2 ? CgroupFiles.V2_MAX : "-1") : Long.toString(soft));
        }
    }

    /**
     * v1 requires {@code memsw.limit >= limit} at every moment: raise memsw first, lower it last.
     * v2 counts swap apart, so pinning means {@code memory.swap.max = 0}.
     */
    private static void setHardLimit(String id, Path dir, boolean v2, long bytes) throws IOException {
        if (v2) {
            writeLimit(id, dir, "memory.max", bytes < 0 ? CgroupFiles.V2_MAX : Long.toString(bytes), bytes);
            if (Files.exists(dir.resolve("memory.swap.max"))) {
                CgroupFiles.write(dir.resolve("memory.swap.max"), "0");
            }
            return;
        }
        Path memsw = dir.resolve("memory.memsw.limit_in_bytes");
        String value = Long.toString(bytes);
        long current = CgroupFiles.readLong(dir.resolve("memory.limit_in_bytes"));
        boolean raising = bytes < 0 || bytes > current;
        if (raising && Files.exists(memsw)) {
            CgroupFiles.write(memsw, value);
        }
        writeLimit(id, dir, "memory.limit_in_bytes", value, bytes);
        if (!raising && Files.exists(memsw)) {
            CgroupFiles.write(memsw, value);
        }
    }

    private static void writeLimit(String id, Path dir, String file, String value, long bytes) throws IOException {
        try {
            CgroupFiles.write(dir.resolve(file), value);
        } catch (IOException e) {
            String usage = usageFile(dir);
            OptionalLong used = CgroupFiles.readLongIfExists(dir.resolve(usage));
            throw new IOException("cannot set the memory limit of container '" + id + "' to " + megabytes(bytes)
                    + " MB" + (used.isPresent() ? " (it uses " + megabytes(used.getAsLong()) + " MB"
                    + "; the kernel could not reclaim enough below the new limit)" : "") + ": " + e.getMessage(), e);
        }
    }

    private static String usageFile(Path dir) {
        return Files.exists(dir.resolve("memory.current")) ? "memory.current" : "memory.usage_in_bytes";
    }

    static String megabytes(long bytes) {
        return bytes < 0 ? "unlimited" : bytes % MB == 0 ? Long.toString(bytes / MB)
                : String.format(java.util.Locale.ROOT, "%.1f", bytes / (double) MB);
    }

    @Override
    public void usage(ContainerCgroups cgroups, ResourceStatistics.Builder statistics) throws IOException {
        Path dir = cgroups.dir(Controller.MEMORY);
        if (cgroups.v2(Controller.MEMORY)) {
            addV2(CgroupFiles.readFlatKeyed(dir.resolve("memory.stat")), CgroupFiles.readLong(dir.resolve("memory.current")),
                    CgroupFiles.readLimit(dir.resolve("memory.max")), CgroupFiles.readLongIfExists(dir.resolve("memory.low")),
                    statistics);
            return;
        }
        Map<String, Long> stat = CgroupFiles.readFlatKeyed(dir.resolve("memory.stat"));
        statistics.setMemTotalBytes(CgroupFiles.readLong(dir.resolve("memory.usage_in_bytes")));
        statistics.setMemRssBytes(stat.getOrDefault("total_rss", stat.getOrDefault("rss", 0L)));
        statistics.setMemLimitBytes(CgroupFiles.readLong(dir.resolve("memory.limit_in_bytes")));
        statistics.setMemSoftLimitBytes(CgroupFiles.readLong(dir.resolve("memory.soft_limit_in_bytes")));
    }

    /**
     * v2: usage from {@code memory.current}, rss from {@code memory.stat}'s {@code anon}. (The page
     * cache, {@code file}, has no field in ResourceStatistics.)
     */
    static void addV2(Map<String, Long> stat, long current, OptionalLong max, OptionalLong low,
            ResourceStatistics.Builder statistics) {
        statistics.setMemTotalBytes(current);
        statistics.setMemRssBytes(stat.getOrDefault("anon", 0L));
        max.ifPresent(statistics::setMemLimitBytes);
        low.ifPresent(statistics::setMemSoftLimitBytes);
    }

    @Override
    public Optional<AutoCloseable> watch(ContainerCgroups cgroups, CompletableFuture<ContainerLimitation> limitation)
            throws IOException {
        Path dir = cgroups.dir(Controller.MEMORY);
        boolean v2 = cgroups.v2(Controller.MEMORY);
        return Optional.of(OomWatch.start(cgroups.containerId(), dir, v2,
                () -> limitation.complete(limitation(currentLimit(dir, v2)))));
    }

    private static long currentLimit(Path dir, boolean v2) {
        try {
            return v2 ? CgroupFiles.readLimit(dir.resolve("memory.max")).orElse(-1)
                    : CgroupFiles.readLong(dir.resolve("memory.limit_in_bytes"));
        } catch (IOException e) {
            return -1;
        }
    }

    /** What the core reports as the container's termination reason after an OOM kill. */
    static ContainerLimitation limitation(long limitBytes) {
        ContainerLimitation.Builder b = ContainerLimitation.newBuilder()
                .setMessage("memory limit exceeded: " + megabytes(limitBytes) + " MB")
                .setReason(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY);
        Resource.Builder mem = Resource.newBuilder().setName("mem").setType(Value.Type.SCALAR);
        if (limitBytes >= 0) {
            mem.setScalar(Value.Scalar.newBuilder().setValue(limitBytes / (double) MB));
        }
        return b.addResources(mem).build();
    }
}
