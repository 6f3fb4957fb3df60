package org.unicon.isolator.cgroups.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Watches one memory cgroup for OOM kills on a thread of its own, calling {@code onOom} once.
 *
 * <p>v1: an eventfd registered through {@code cgroup.event_control} for {@code memory.oom_control}
 * (Mesos' way). The kernel signals it on an OOM and also when the cgroup is removed, so an event
 * with the cgroup gone is not an OOM. The thread polls the eventfd with a timeout so that {@link
 * #close} is noticed even if no event ever comes.
 *
 * <p>v2: {@code memory.events} is re-read every {@value #V2_INTERVAL_MILLIS} ms; its {@code oom}
 * or {@code oom_kill} counter above 0 is an OOM.
 */
final class OomWatch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OomWatch.class.getName());
    private static final int V1_POLL_MILLIS = 500;
    static final long V2_INTERVAL_MILLIS = 100;

    private final Thread thread;
    private volatile boolean closed;

    private OomWatch(String containerId, Runnable loop) {
        thread = new Thread(loop, "cgroups-oom-" + containerId);
        thread.setDaemon(true);
    }

    /** Starts watching; a failure to register (v1) is thrown here, in the caller's thread. */
    static OomWatch start(String containerId, Path dir, boolean v2, Runnable onOom) throws IOException {
        OomWatch[] self = new OomWatch[1];
        Runnable loop;
        if (v2) {
            loop = () -> self[0].watchV2(containerId, dir.resolve("memory.events"), onOom);
        } else {
            int[] fds = registerV1(dir);
            loop = () -> self[0].watchV1(containerId, dir, fds[0], fds[1], onOom);
        }
        self[0] = new OomWatch(containerId, loop);
        self[0].thread.start();
        return self[0];
    }

    /** Returns {eventfd, oom_control fd}. */
    private static int[] registerV1(Path dir) throws IOException {
        LibC c = LibC.INSTANCE;
        int efd = c.eventfd(0, LibC.EFD_CLOEXEC);
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

    private void watchV1(String containerId, Path dir, int efd, int ofd, Runnable onOom) {
        LibC c = LibC.INSTANCE;
        byte[] pollfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder())
                .putInt(efd).putShort(LibC.POLLIN).putShort((short) 0).array();
        try {
            while (!closed) {
                int ready = c.poll(pollfd, 1, V1_POLL_MILLIS);
                if (ready < 0) {
                    if (com.sun.jna.Native.getLastError() == LibC.EINTR) {
                        continue;
                    }
                    LOG.log(Level.WARNING, "container ''{0}'': OOM watch stopped: poll failed: {1}", containerId,
                            LibC.lastError());
                    return;
                }
                if (ready == 0) {
                    continue;
                }
                c.read(efd, new byte[8], 8);
                if (closed || !Files.isDirectory(dir)) {
                    return; // the cgroup was removed: the kernel's farewell event
                }
                LOG.log(Level.WARNING, "container ''{0}'': out of memory in {1}", containerId, dir);
                onOom.run();
                return;
            }
        } finally {
            c.close(efd);
            c.close(ofd);
        }
    }

    private void watchV2(String containerId, Path events, Runnable onOom) {
        try {
            while (!closed) {
                if (oomIn(CgroupFiles.readFlatKeyed(events))) {
                    LOG.log(Level.WARNING, "container ''{0}'': out of memory in {1}", containerId, events.getParent());
                    onOom.run();
                    return;
                }
                Thread.sleep(V2_INTERVAL_MILLIS);
            }
        } catch (NoSuchFileException e) {
            // the cgroup was removed
        } catch (IOException e) {
            LOG.log(Level.WARNING, "container ''{0}'': OOM watch stopped: {1}", containerId, e.getMessage());
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Whether v2 {@code memory.events} counts an OOM. */
    static boolean oomIn(Map<String, Long> memoryEvents) {
        return memoryEvents.getOrDefault("oom", 0L) > 0 || memoryEvents.getOrDefault("oom_kill", 0L) > 0;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
