package org.unicon.isolator.cgroups.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Watches one memory cgroup for OOM kills, calling {@code onOom} once. Every watch of the bundle
 * shares one thread ({@code cgroups-oom}), which runs while there are watches: a hundred
 * containers do not need a hundred threads.
 *
 * <p>v1: an eventfd registered through {@code cgroup.event_control} for {@code memory.oom_control}
 * (Mesos' way), polled with all the others. The kernel signals it on an OOM and also when the
 * cgroup is removed, so an event with the cgroup gone is not an OOM.
 *
 * <p>v2: {@code memory.events} is re-read every {@value #V2_INTERVAL_MILLIS} ms; its {@code oom}
 * or {@code oom_kill} counter above 0 is an OOM.
 */
final class OomWatch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OomWatch.class.getName());
    /** How long the shared thread sleeps in poll when only v1 watches exist (close wakes it). */
    private static final int V1_POLL_MILLIS = 1000;
    static final long V2_INTERVAL_MILLIS = 100;

    /** The watches the shared thread serves, and the thread (null when there are none). */
    private static final List<OomWatch> WATCHES = new ArrayList<>();
    private static Thread thread;
    /** Wakes the shared thread out of poll (a watch was added or closed); -1 while no thread runs. */
    private static int wakeup = -1;

    private final String containerId;
    private final Path dir;
    private final boolean v2;
    private final Runnable onOom;
    /** v1 only: the eventfd and the open {@code memory.oom_control}; -1 for v2. */
    private final int efd;
    private final int ofd;
    private volatile boolean closed;

    private OomWatch(String containerId, Path dir, boolean v2, Runnable onOom, int efd, int ofd) {
        this.containerId = containerId;
        this.dir = dir;
        this.v2 = v2;
        this.onOom = onOom;
        this.efd = efd;
        this.ofd = ofd;
    }

    /** Starts watching; a failure to register (v1) is thrown here, in the caller's thread. */
    static OomWatch start(String containerId, Path dir, boolean v2, Runnable onOom) throws IOException {
        OomWatch watch;
        if (v2) {
            watch = new OomWatch(containerId, dir, true, onOom, -1, -1);
        } else {
            int[] fds = registerV1(dir);
            watch = new OomWatch(containerId, dir, false, onOom, fds[0], fds[1]);
        }
        synchronized (WATCHES) {
            if (wakeup < 0) {
                wakeup = LibC.INSTANCE.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
                if (wakeup < 0) {
                    watch.release();
                    throw new IOException("cannot create an eventfd for the OOM watches: " + LibC.lastError());
                }
            }
            WATCHES.add(watch);
            if (thread == null) {
                thread = new Thread(OomWatch::serve, "cgroups-oom");
                thread.setDaemon(true);
                thread.start();
            } else {
                wake();
            }
        }
        return watch;
    }

    /** Returns {eventfd, oom_control fd}. */
    private static int[] registerV1(Path dir) throws IOException {
        LibC c = LibC.INSTANCE;
        int efd = c.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (efd < 0) {
            throw new IOException("cannot create an eventfd to watch " + dir + " for OOM: " + LibC.lastError());
        }
        Path control = dir.resolve("memory.oom_control");
        int ofd = c.open(control.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (ofd < 0) {
            String error = LibC.lastError();
            c.close(efd);
            throw new IOException("cannot open " + control + " to watch for OOM: " + error);
        }
        try {
            CgroupFiles.write(dir.resolve("cgroup.event_control"), efd + " " + ofd);
        } catch (IOException e) {
            c.close(efd);
            c.close(ofd);
            throw new IOException("cannot register for OOM events of " + dir + ": " + e.getMessage(), e);
        }
        return new int[] {efd, ofd};
    }

    /** The shared thread: polls the v1 eventfds, reads v2 events, until no watch is left. */
    private static void serve() {
        long nextV2 = 0;
        while (true) {
            List<OomWatch> watches;
            int wake;
            synchronized (WATCHES) {
                WATCHES.removeIf(w -> w.closed && w.release());
                if (WATCHES.isEmpty()) {
                    LibC.INSTANCE.close(wakeup);
                    wakeup = -1;
                    thread = null;
                    return;
                }
                watches = List.copyOf(WATCHES);
                wake = wakeup;
            }
            List<OomWatch> v1 = watches.stream().filter(w -> !w.v2).toList();
            boolean anyV2 = v1.size() < watches.size();
            ByteBuffer fds = ByteBuffer.allocate(8 * (v1.size() + 1)).order(ByteOrder.nativeOrder());
            fds.putInt(wake).putShort(LibC.POLLIN).putShort((short) 0);
            v1.forEach(w -> fds.putInt(w.efd).putShort(LibC.POLLIN).putShort((short) 0));
            byte[] pollfds = fds.array();
            long now = System.nanoTime();
            int timeout = anyV2 ? (int) Math.max(0, (nextV2 - now) / 1_000_000) : V1_POLL_MILLIS;
            int ready = LibC.INSTANCE.poll(pollfds, v1.size() + 1, timeout);
            if (ready < 0 && com.sun.jna.Native.getLastError() != LibC.EINTR) {
                LOG.log(Level.ERROR, "OOM watches stopped: poll failed: {0}", LibC.lastError());
                synchronized (WATCHES) {
                    WATCHES.forEach(w -> w.closed = true);
                }
                continue; // releases them all, and the thread ends
            }
            ByteBuffer revents = ByteBuffer.wrap(pollfds).order(ByteOrder.nativeOrder());
            if (ready > 0 && revents.getShort(6) != 0) {
                LibC.INSTANCE.read(wake, new byte[8], 8);
            }
            for (int i = 0; ready > 0 && i < v1.size(); i++) {
                if (revents.getShort(8 * (i + 1) + 6) != 0) {
                    v1.get(i).eventV1();
                }
            }
            if (anyV2 && System.nanoTime() >= nextV2) {
                watches.stream().filter(w -> w.v2 && !w.closed).forEach(OomWatch::checkV2);
                nextV2 = System.nanoTime() + V2_INTERVAL_MILLIS * 1_000_000;
            }
        }
    }

    /** The eventfd fired: an OOM, or the cgroup's removal. Either way the watch is done. */
    private void eventV1() {
        LibC.INSTANCE.read(efd, new byte[8], 8);
        if (!closed && Files.isDirectory(dir)) {
            LOG.log(Level.WARNING, "container ''{0}'': out of memory in {1}", containerId, dir);
            onOom.run();
        }
        closed = true;
    }

    private void checkV2() {
        try {
            if (oomIn(CgroupFiles.readFlatKeyed(dir.resolve("memory.events")))) {
                LOG.log(Level.WARNING, "container ''{0}'': out of memory in {1}", containerId, dir);
                onOom.run();
                closed = true;
            }
        } catch (NoSuchFileException e) {
            closed = true; // the cgroup was removed
        } catch (IOException e) {
            LOG.log(Level.WARNING, "container ''{0}'': OOM watch stopped: {1}", containerId, e.getMessage());
            closed = true;
        }
    }

    /** Closes the v1 descriptors (the shared thread, once the watch has left its poll set). */
    private boolean release() {
        if (efd >= 0) {
            LibC.INSTANCE.close(efd);
            LibC.INSTANCE.close(ofd);
        }
        return true;
    }

    private static void wake() {
        byte[] one = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();
        LibC.INSTANCE.write(wakeup, one, 8);
    }

    /** Whether v2 {@code memory.events} counts an OOM. */
    static boolean oomIn(Map<String, Long> memoryEvents) {
        return memoryEvents.getOrDefault("oom", 0L) > 0 || memoryEvents.getOrDefault("oom_kill", 0L) > 0;
    }

    /** Whether the shared thread is running (tests: it ends with the last watch). */
    static boolean serving() {
        synchronized (WATCHES) {
            return thread != null;
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (WATCHES) {
            if (thread != null) {
                wake();
            }
        }
    }
}
