package org.unicon.launcher.posix.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The processes of one container other than its monitor: every process in the monitor's session
 * (the monitor called setsid, so its pid is the session id) and every descendant of the monitor
 * or of a session member, which catches processes that called setsid themselves while their
 * parent is still alive. A process that left the session and whose parent has already ended is
 * out of reach of a launcher without cgroups (Mesos's posix launcher has the same limit).
 *
 * <p>The kernel does not reuse a pid while it names a live session, so a process in session
 * {@code monitorPid} belongs to the container — unless the monitor is gone and another process
 * now has its pid, which is checked.
 */
final class ContainerProcesses {

    private static final int MAX_FREEZE_ROUNDS = 1000;

    private final long monitorPid;
    private final long monitorStartTime;

    ContainerProcesses(long monitorPid, long monitorStartTime) {
        this.monitorPid = monitorPid;
        this.monitorStartTime = monitorStartTime;
    }

    /** The running processes of the container, except the monitor. */
    List<ProcessTable.Entry> find() throws IOException {
        if (monitorPid <= 1) {
            return List.of(); // no monitor known (recovered without a record): nothing to find
        }
        List<ProcessTable.Entry> all = ProcessTable.snapshot();
        Map<Long, List<ProcessTable.Entry>> children = new HashMap<>();
        ProcessTable.Entry holder = null;
        for (ProcessTable.Entry e : all) {
            children.computeIfAbsent(e.ppid(), k -> new ArrayList<>()).add(e);
            if (e.pid() == monitorPid) {
                holder = e;
            }
        }
        boolean monitorRunning = holder != null && holder.startTime() == monitorStartTime
                && holder.isRunning();
        if (holder != null && holder.startTime() != monitorStartTime) {
            return List.of(); // the pid and its session number belong to someone else now
        }
        Map<Long, ProcessTable.Entry> found = new LinkedHashMap<>();
        Deque<ProcessTable.Entry> parents = new ArrayDeque<>();
        if (monitorRunning) {
            parents.add(holder);
        }
        for (ProcessTable.Entry e : all) {
            if (e.session() == monitorPid && e.pid() != monitorPid && e.isRunning()) {
                found.put(e.pid(), e);
                parents.add(e);
            }
        }
        Set<Long> visited = new HashSet<>();
        while (!parents.isEmpty()) {
            ProcessTable.Entry parent = parents.poll();
            if (!visited.add(parent.pid())) {
                continue;
            }
            for (ProcessTable.Entry child : children.getOrDefault(parent.pid(), List.of())) {
                if (child.pid() != monitorPid && child.isRunning()) {
                    found.putIfAbsent(child.pid(), child);
                    parents.add(child);
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    /** Sends {@code signal} to every running process of the container except the monitor. */
    void signalAll(int signal) throws IOException {
        for (ProcessTable.Entry e : find()) {
            signal(e, signal);
        }
    }

    /**
     * SIGKILLs every process of the container except the monitor. They are all stopped first
     * (until a scan finds no new one), so that none can fork or lose its parent between the scan
     * and the kill.
     */
    void killAll() throws IOException {
        Map<Long, ProcessTable.Entry> stopped = new HashMap<>();
        for (int round = 0; round < MAX_FREEZE_ROUNDS; round++) {
            boolean fresh = false;
            for (ProcessTable.Entry e : find()) {
                ProcessTable.Entry known = stopped.get(e.pid());
                if (known == null || known.startTime() != e.startTime()) {
                    signal(e, LibC.SIGSTOP);
                    stopped.put(e.pid(), e);
                    fresh = true;
                }
            }
            if (!fresh) {
                break;
            }
        }
        for (ProcessTable.Entry e : stopped.values()) {
            signal(e, LibC.SIGKILL);
        }
    }

    /**
     * Kills the container's processes until none is left.
     *
     * @throws IOException if some survive {@code timeout} (e.g. stuck in uninterruptible sleep)
     */
    void killAllAndWait(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ProcessTable.Entry> left = find();
        long pause = 1;
        while (!left.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("processes " + pids(left) + " survived SIGKILL for "
                        + timeout.toSeconds() + " s");
            }
            killAll();
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 100);
            left = find();
        }
    }

    /** Signals {@code e} unless its pid now belongs to another process. ESRCH is not an error. */
    private static void signal(ProcessTable.Entry e, int signal) throws IOException {
        if (!ProcessTable.isRunning(e.pid(), e.startTime())) {
            return;
        }
        if (LibC.INSTANCE.kill((int) e.pid(), signal) != 0) {
            int errno = LibC.errno();
            if (errno != LibC.ESRCH) {
                throw new IOException("cannot send signal " + signal + " to process " + e.pid()
                        + ": " + LibC.describe(errno));
            }
        }
    }

    private static List<Long> pids(List<ProcessTable.Entry> entries) {
        return entries.stream().map(ProcessTable.Entry::pid).toList();
    }
}
