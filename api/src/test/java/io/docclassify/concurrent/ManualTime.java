package io.docclassify.concurrent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TimeSource} a test moves by hand: time stands still until {@link #advance}, which also runs the
 * repeating tasks that fall due, on the calling thread. What {@link #sleep} does is the test's choice.
 */
public final class ManualTime implements TimeSource {

    /** What a {@link #sleep} does. */
    public enum Sleeps {
        /** Return at once; time stands still. */
        RECORD,
        /** Move time forward by the sleep and return at once: retries run through their backoff instantly. */
        ADVANCE,
        /** Wait until another thread {@linkplain #advance advances} time past the wake-up. */
        BLOCK
    }

    private final Sleeps mode;
    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    private final List<Task> tasks = new CopyOnWriteArrayList<>();
    private long now = 1_000_000_000L;
    private int sleeping;

    public ManualTime(Sleeps mode) {
        this.mode = mode;
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        sleeps.add(duration);
        switch (mode) {
            case RECORD -> { }
            case ADVANCE -> advance(duration);
            case BLOCK -> {
                synchronized (this) {
                    long wake = now + duration.toNanos();
                    sleeping++;
                    notifyAll();
                    try {
                        while (now < wake) {
                            wait();
                        }
                    } finally {
                        sleeping--;
                    }
                }
            }
        }
    }

    @Override
    public Repeating every(Duration period, String threadName, Runnable task) {
        Task repeating;
        synchronized (this) {
            repeating = new Task(period.toNanos(), task, new AtomicLong(now + period.toNanos()));
        }
        tasks.add(repeating);
        return () -> tasks.remove(repeating);
    }

    /** Moves time forward, wakes the sleepers that are due and runs the repeating tasks that fell due. */
    public void advance(Duration duration) {
        long target;
        synchronized (this) {
            now += duration.toNanos();
            target = now;
            notifyAll();
        }
        for (Task task : tasks) {
            while (task.next().get() <= target) {
                task.next().addAndGet(task.period());
                task.action().run();
            }
        }
    }

    /** The sleeps asked for so far, in order. */
    public List<Duration> sleeps() {
        synchronized (sleeps) {
            return List.copyOf(sleeps);
        }
    }

    /** Threads in {@link #sleep} now ({@link Sleeps#BLOCK} only). */
    public synchronized int sleeping() {
        return sleeping;
    }

    /** Waits (really, briefly) until at least {@code count} threads sleep, or fails after {@code timeout}. */
    public synchronized void awaitSleepers(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sleeping < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + count + " sleepers");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** A repeating task: its period, its action, and when it is next due. */
    private record Task(long period, Runnable action, AtomicLong next) {}
}
