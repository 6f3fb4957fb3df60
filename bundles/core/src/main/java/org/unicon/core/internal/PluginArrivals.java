package org.unicon.core.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One thread on which plugins arrive and leave, in the order Declarative Services reports them.
 *
 * <p>A plugin that arrives recovers the containers it knows before the containerizer uses it, and
 * with 100 containers that takes a plugin 100 ms or more. DS calls the bind on the thread that
 * made the service available, at agent start the framework's start-level thread: recovering
 * there held up the start of every bundle after it. So an arrival is queued ({@link #later}) and
 * the binding thread goes on; a launch meanwhile waits for the plugin as for any missing one.
 *
 * <p>A departure waits ({@link #now}) until the arrivals queued before it have been handled: when
 * the unbind returns, the containerizer no longer holds the service, and no recovery of it is
 * still running. The containerizer's own start (its recovery) runs here too, so that no arrival
 * slips between the core listing the plugins there are and listening for new ones.
 */
final class PluginArrivals {
    private static final System.Logger LOG = System.getLogger(PluginArrivals.class.getName());
    /** How long {@link #close} lets queued arrivals finish. */
    private static final long DRAIN_SECONDS = 30;

    private final ThreadPoolExecutor thread = ContainerizerCore.pool(1, ContainerizerCore.IDLE_THREAD_SECONDS,
            "unicon-plugin-arrivals-");
    private volatile Thread current;

    /** Runs {@code step} after everything queued before it; returns at once. */
    void later(Runnable step) {
        try {
            thread.execute(() -> {
                try {
                    asCurrent(Executors.callable(step));
                } catch (Exception | Error e) {
                    LOG.log(System.Logger.Level.ERROR, "a plugin's arrival failed: " + e, e);
                }
            });
        } catch (RejectedExecutionException closed) {
            step.run(); // the component is deactivating: nothing else is queued any more
        }
    }

    /** Runs {@code step} after everything queued before it, and returns what it returned or threw. */
    <T> T now(Callable<T> step) throws Exception {
        if (Thread.currentThread() == current) {
            return step.call(); // an arrival's own work departs a plugin: it is first in line already
        }
        Future<T> result;
        try {
            result = thread.submit(() -> asCurrent(step));
        } catch (RejectedExecutionException closed) {
            return step.call();
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    interrupted = true; // a departure must not be skipped: the service is going away
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception cause) {
                        throw cause;
                    }
                    throw (Error) e.getCause();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@link #now} for a step that throws nothing checked. */
    void nowQuietly(Runnable step) {
        try {
            now(Executors.callable(step));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lets what is queued finish, then runs every later step on its caller's thread. */
    void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "plugin arrivals still running after {0} s", DRAIN_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private <T> T asCurrent(Callable<T> step) throws Exception {
        current = Thread.currentThread();
        try {
            return step.call();
        } finally {
            current = null;
        }
    }
}
