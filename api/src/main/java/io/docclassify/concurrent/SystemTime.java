package io.docclassify.concurrent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** {@link TimeSource#system()}. */
final class SystemTime implements TimeSource {

    static final SystemTime INSTANCE = new SystemTime();

    private SystemTime() {}

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (duration.isPositive()) {
            Thread.sleep(duration);
        }
    }

    @Override
    public Repeating every(Duration period, String threadName, Runnable task) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon(threadName));
        long nanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), period.toNanos());
        timer.scheduleWithFixedDelay(task, nanos, nanos, TimeUnit.NANOSECONDS);
        return timer::shutdownNow;
    }

    @Override
    public String toString() {
        return "TimeSource.system()";
    }
}
