package org.unicon.launcher.posix.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Notices the end of monitors this JVM did not start (recovered after an agent restart). They are
 * not our children, so there is nothing to wait on: {@code /proc} is polled. A zombie counts as
 * ended, which {@code ProcessHandle.onExit()} does not do — and a host whose init does not reap
 * (as in some containers) keeps zombies forever.
 */
final class ExitPoller implements AutoCloseable {

    private static final long INTERVAL_MILLIS = 100;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "unicon-posix-launcher-exit-poller");
        t.setDaemon(true);
        return t;
    });

    /** Completes once the process {@code pid} that started at {@code startTime} has ended. */
    CompletableFuture<Void> watch(long pid, long startTime) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        ScheduledFuture<?> poll = timer.scheduleWithFixedDelay(() -> {
            if (!ProcessTable.isRunning(pid, startTime)) {
                ended.complete(null);
            }
        }, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        ended.whenComplete((v, e) -> poll.cancel(false));
        return ended;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
