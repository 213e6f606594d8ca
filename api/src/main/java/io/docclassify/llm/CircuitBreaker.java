package io.docclassify.llm;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One endpoint's circuit breaker: after {@code threshold} failures in a row it opens and refuses
 * calls for {@code openFor}; then one probe call decides whether it closes again or stays open.
 *
 * <p>Thread-safe. Time comes from an injected nano clock so tests can move it.
 */
final class CircuitBreaker {

    private enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final long openForNanos;
    private final LongSupplier nanoClock;
    private State state = State.CLOSED;
    private int failures;
    private long openedAt;

    CircuitBreaker(int threshold, Duration openFor, LongSupplier nanoClock) {
        this.threshold = threshold;
        this.openForNanos = openFor.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Whether a call may go out now; in the half-open state only the first caller (the probe) gets {@code true}. */
    synchronized boolean tryAcquire() {
        return switch (state) {
            case CLOSED -> true;
            case HALF_OPEN -> false;
            case OPEN -> {
                if (nanoClock.getAsLong() - openedAt >= openForNanos) {
                    state = State.HALF_OPEN;
                    yield true;
                }
                yield false;
            }
        };
    }

    synchronized void onSuccess() {
        state = State.CLOSED;
        failures = 0;
    }

    synchronized void onFailure() {
        failures++;
        if (state == State.HALF_OPEN || failures >= threshold) {
            state = State.OPEN;
            openedAt = nanoClock.getAsLong();
        }
    }

    /** A call that was let through but never made (its permit was given back). */
    synchronized void onCancel() {
        if (state == State.HALF_OPEN) {
            state = State.OPEN;
        }
    }

    synchronized boolean isOpen() {
        return state != State.CLOSED;
    }
}
