package org.unicon.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

class ExitStagesTest {

    @Test
    void stagesHandedOutBeforeAndAfterTheStatusAllCarryIt() throws Exception {
        ExitStages exits = new ExitStages();
        CompletableFuture<Integer> before = exits.stage().toCompletableFuture();
        assertFalse(before.isDone(), "a stage completed before any status");

        assertTrue(exits.complete(137));

        assertEquals(137, before.get());
        assertEquals(137, exits.stage().toCompletableFuture().get());
        assertFalse(exits.complete(0), "a second status was taken");
        assertFalse(exits.fail(new IOException("late")), "a failure after the status was taken");
        assertEquals(137, exits.stage().toCompletableFuture().get());
    }

    @Test
    void aFailureReachesEveryStageWithItsCause() {
        ExitStages exits = new ExitStages();
        CompletableFuture<Integer> before = exits.stage().toCompletableFuture();
        IOException cause = new IOException("the recorded status is unreadable");

        assertTrue(exits.fail(cause));

        assertSame(cause, assertThrows(ExecutionException.class, before::get).getCause());
        assertSame(cause, assertThrows(ExecutionException.class, () -> exits.stage().toCompletableFuture().get())
                .getCause());
        assertFalse(exits.complete(0), "a status after the failure was taken");
    }

    @Test
    void awaitTimesOutWhileNoStatusIsKnown() {
        ExitStages exits = new ExitStages();
        exits.stage();

        assertThrows(TimeoutException.class, () -> exits.await(50, TimeUnit.MILLISECONDS));
        assertFalse(exits.isDone());
    }

    /**
     * What destroy relies on. With copies of one shared future, the waiter would be woken first
     * (dependents run last-registered first) while the copies still waited behind the slow action.
     */
    @Test
    void awaitReturnsOnlyOnceEveryStageHandedOutHasCompleted() throws Exception {
        ExitStages exits = new ExitStages();
        List<CompletableFuture<Integer>> stages = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            stages.add(exits.stage().toCompletableFuture());
        }
        stages.get(4).thenRun(() -> sleep(300)); // a consumer's slow action, run by the settling thread

        Thread settler = new Thread(() -> exits.complete(9 << 8));
        settler.start();
        exits.await(10, TimeUnit.SECONDS);

        assertTrue(exits.isDone());
        for (CompletableFuture<Integer> stage : stages) {
            assertTrue(stage.isDone(), "await returned before a stage it handed out completed");
            assertEquals(9 << 8, stage.get());
        }
        settler.join();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
