package io.docclassify.concurrent;

import java.time.Duration;

/**
 * Where code whose behaviour depends on time reads the time, waits, and repeats work: the system's
 * clock in production, a clock a test moves by hand (so that a five-minute outage limit or a flush
 * timer is tested without waiting for it).
 *
 * <p>Implementations are thread-safe.
 */
public interface TimeSource {

    /** A monotonic reading in nanoseconds, as {@link System#nanoTime()}: only differences mean anything. */
    long nanoTime();

    /** Waits {@code duration}; a zero or negative one returns at once. */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Runs {@code task} every {@code period} (after a first wait of one period) until the returned handle is
     * closed; a task that throws is not run again. The system's source runs it on a daemon thread named
     * {@code threadName}.
     */
    Repeating every(Duration period, String threadName, Runnable task);

    /** A repeating task; {@link #close()} stops it (a run in progress finishes). */
    interface Repeating extends AutoCloseable {
        @Override
        void close();
    }

    /** The system's monotonic clock, {@link Thread#sleep}, and one daemon timer thread per repeating task. */
    static TimeSource system() {
        return SystemTime.INSTANCE;
    }
}
