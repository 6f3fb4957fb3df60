package org.unicon.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The exit stages of one container, for launchers: every stage {@link #stage()} hands out
 * completes with the one status, and {@link #await} returns only once all of them have completed,
 * which is what {@link Launcher#destroy} promises. (Copies of one shared {@link CompletableFuture}
 * would not do: they complete on the thread that completes the original, after a thread waiting
 * on the original may already have gone on.)
 *
 * <p>Thread-safe. The first {@link #complete} or {@link #fail} wins; later ones change nothing.
 * Actions a caller chains on a stage without an executor run on the thread that settles the
 * stages, before {@link #await} returns: they should be short, and must not wait for the
 * launcher's {@code destroy}.
 */
public final class ExitStages {
    private final CompletableFuture<Void> settled = new CompletableFuture<>();
    private final List<CompletableFuture<Integer>> pending = new ArrayList<>();
    private CompletableFuture<Integer> outcome;

    /** A new stage: completes with the status, or fails with the cause, once either is known. */
    public synchronized CompletionStage<Integer> stage() {
        if (outcome != null) {
            return outcome.copy();
        }
        CompletableFuture<Integer> stage = new CompletableFuture<>();
        pending.add(stage);
        return stage;
    }

    /** Completes every stage with the raw wait status; false if they were settled already. */
    public boolean complete(int status) {
        return settle(CompletableFuture.completedFuture(status));
    }

    /** Fails every stage with {@code cause}; false if they were settled already. */
    public boolean fail(Throwable cause) {
        return settle(CompletableFuture.failedFuture(cause));
    }

    /** Whether the status (or a failure) is known and every stage handed out has completed. */
    public boolean isDone() {
        return settled.isDone();
    }

    /**
     * Waits until the status (or a failure) is known and every stage handed out has completed.
     *
     * @throws TimeoutException if that takes longer than {@code timeout}
     */
    public void await(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
        try {
            settled.get(timeout, unit);
        } catch (ExecutionException e) {
            throw new IllegalStateException("settled never fails", e);
        }
    }

    private boolean settle(CompletableFuture<Integer> result) {
        List<CompletableFuture<Integer>> waiting;
        synchronized (this) {
            if (outcome != null) {
                return false;
            }
            outcome = result;
            waiting = List.copyOf(pending);
            pending.clear();
        }
        for (CompletableFuture<Integer> stage : waiting) {
            result.whenComplete((status, failure) -> {
                if (failure == null) {
                    stage.complete(status);
                } else {
                    stage.completeExceptionally(failure);
                }
            });
        }
        settled.complete(null);
        return true;
    }
}
