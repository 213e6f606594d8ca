package io.docclassify.concurrent;

import io.docclassify.ConfigurationException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the wait before retry {@code n} is drawn evenly from the upper half
 * of {@code min(max, first x 2^(n-1))}. The doubling spreads a burst of retries over time, the jitter
 * keeps many clients that failed together from retrying together, and the lower half cut off keeps
 * every wait long enough to matter. Used by the results database's retries and the LLM client's.
 *
 * <p>Immutable and thread-safe.
 *
 * @param first the cap of the first wait
 * @param max the cap of every wait
 */
public record Backoff(Duration first, Duration max) {

    public Backoff {
        if (first == null || first.isNegative() || max == null || max.compareTo(first) < 0) {
            throw new ConfigurationException("Backoff.first", first,
                    "Backoff.first must be >= 0 and Backoff.max >= Backoff.first, got " + first + " and " + max);
        }
    }

    /** The wait before retry {@code retry} (1 for the first retry). */
    public Duration delay(int retry) {
        long cap = Math.min(max.toNanos(), first.toNanos() << Math.min(Math.max(retry, 1) - 1, 20));
        return Duration.ofNanos(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
    }
}
