package org.unicon.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PluginArrivalsTest {
    private final PluginArrivals arrivals = new PluginArrivals();
    private final List<String> steps = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void close() {
        arrivals.close();
    }

    @Test
    void anArrivalRunsOnItsOwnThreadAndADepartureWaitsForTheArrivalsBeforeIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        arrivals.later(() -> {
            steps.add("arrive a on " + Thread.currentThread().getName());
            await(release);
        });
        arrivals.later(() -> steps.add("arrive b"));
        assertEquals(1, release.getCount(), "later returned while the arrival ran");

        Thread releaser = new Thread(() -> {
            sleep(200);
            steps.add("released");
            release.countDown();
        });
        releaser.start();
        String departed = arrivals.now(() -> {
            steps.add("depart a");
            return "gone";
        });

        assertEquals("gone", departed);
        assertTrue(steps.get(0).startsWith("arrive a on unicon-plugin-arrivals-"), steps.toString());
        assertEquals(List.of("released", "arrive b", "depart a"), steps.subList(1, 4));
        releaser.join();
    }

    @Test
    void aDepartureThrowsWhatItsStepThrew() {
        IOException e = assertThrows(IOException.class, () -> arrivals.now(() -> {
            throw new IOException("the runtime directory is unreadable");
        }));
        assertEquals("the runtime directory is unreadable", e.getMessage());
    }

    @Test
    void aDepartureFromWithinAnArrivalRunsAtOnce() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        arrivals.later(() -> {
            arrivals.nowQuietly(() -> steps.add("depart inside"));
            steps.add("arrival ends");
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS), "no deadlock");
        assertEquals(List.of("depart inside", "arrival ends"), steps);
    }

    @Test
    void aFailedArrivalDoesNotStopTheNextOnes() throws Exception {
        arrivals.later(() -> {
            throw new IllegalStateException("a listener failed");
        });
        assertEquals("next", arrivals.now(() -> "next"));
    }

    @Test
    void afterCloseEverythingRunsOnTheCallersThread() throws Exception {
        arrivals.later(() -> sleep(100));
        arrivals.close();
        String caller = Thread.currentThread().getName();
        arrivals.later(() -> steps.add(Thread.currentThread().getName()));
        assertEquals(List.of(caller), steps, "queued work finished; later work runs in place");
        assertEquals(caller, arrivals.now(() -> Thread.currentThread().getName()));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
