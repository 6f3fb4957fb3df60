package org.unicon.store.docker.internal;

import java.time.Duration;

/**
 * How often a request is tried when the registry answers 408/429/5xx or the connection fails,
 * and how long to wait in between (doubling, capped). A 4xx other than 408/429 is never retried.
 */
record RetryPolicy(int attempts, Duration firstDelay, Duration maxDelay) {

    static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(250), Duration.ofSeconds(5));
    }

    /** The wait before attempt {@code attempt + 1}, honouring a server's Retry-After (capped). */
    Duration delay(int attempt, Duration retryAfter) {
        long millis = firstDelay.toMillis() << Math.min(attempt, 20);
        long capped = Math.min(millis, maxDelay.toMillis());
        if (retryAfter != null) {
            capped = Math.min(Math.max(capped, retryAfter.toMillis()), Math.max(maxDelay.toMillis(), 10_000));
        }
        return Duration.ofMillis(capped);
    }

    static boolean retryable(int status) {
        return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }
}
