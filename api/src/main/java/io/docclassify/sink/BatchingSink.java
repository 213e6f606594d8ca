package io.docclassify.sink;

import io.docclassify.ConfigurationException;
import io.docclassify.DocumentRecord;
import io.docclassify.concurrent.TimeSource;
import io.docclassify.run.RunMetrics;
import io.docclassify.spi.PriorResults;
import io.docclassify.spi.ResultSink;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ResultSink} that buffers records and hands them to a {@link BatchWriter} in batches: when
 * {@code batchSize} records wait, when {@code flushInterval} has passed since the last write (a timer
 * sees to that when no record comes; zero turns the timer off), and on {@link #flush()} and {@link #close()}.
 *
 * <p>Thread-safe. While a batch is being written (or retried), at most {@code 2 x batchSize} more records
 * may wait; then {@link #accept} blocks until the write is done (back-pressure), so the sink holds at most
 * {@link #bufferBound()} records. The first failed write is final: the records held then are lost (a
 * resumed run redoes them), and every later call throws an {@link IOException} that names the first
 * failure, so a run stops instead of losing records silently.
 */
/*
 * Design. Every sink has the same hard part: many threads hand in records, the store is slow and
 * sometimes away, memory must stay bounded, and a failure must stop the run rather than drop records.
 * That part lives here once; a writer only stores one batch. One locking discipline: a single
 * ReentrantLock guards the buffer and the state, and is released while a batch is written, so writing
 * never blocks the threads that add records (they block only at the bound) and one slow write is
 * never two. At most one thread writes (`writing`); whoever finds a full batch while no one writes
 * becomes the writer and drains. The waiting bound (twice the batch size) lets producers fill the next
 * batch while one is written, which keeps the store busy without letting an outage fill the heap.
 * Time comes from an injected TimeSource, so the flush timer and a writer's retries are tested
 * without waiting.
 */
public class BatchingSink implements ResultSink {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingSink.class);

    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);

    private final BatchWriter writer;
    private final int batchSize;
    private final int waitingLimit;
    private final long flushIntervalNanos;
    private final RunMetrics metrics;
    private final TimeSource time;
    private final TimeSource.Repeating timer;
    /** Guards every field below; released while a batch is written, so others may add to the buffer. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<DocumentRecord> buffer = new ArrayList<>();
    private int inFlight;
    private int maxBuffered;
    private boolean writing;
    private long lastWrite;
    private boolean closed;
    private IOException failure;

    /**
     * A sink over {@code writer}; closing the sink closes the writer.
     *
     * @param batchSize records per write (>= 1)
     * @param flushInterval the longest a record waits in the buffer; zero writes only on size, flush and close
     * @param metrics where batch sizes and write times go ({@code docclassify.sink.*}, tag the writer's kind)
     * @param time the clock of the flush timer
     */
    public BatchingSink(BatchWriter writer, int batchSize, Duration flushInterval, RunMetrics metrics,
            TimeSource time) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.batchSize = checkBatchSize("BatchingSink.batchSize", batchSize);
        this.flushIntervalNanos = checkFlushInterval("BatchingSink.flushInterval", flushInterval).toNanos();
        this.waitingLimit = 2 * batchSize;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.time = Objects.requireNonNull(time, "time");
        this.lastWrite = time.nanoTime();
        this.timer = flushInterval.isZero() ? null
                : time.every(flushInterval, "docclassify-" + writer.kind() + "-flush", this::writeIfDue);
    }

    /** {@code batchSize}, or a {@link ConfigurationException} naming {@code setting} when it is below 1. */
    static int checkBatchSize(String setting, int batchSize) {
        if (batchSize < 1) {
            throw new ConfigurationException(setting, batchSize, setting + " must be >= 1, got " + batchSize);
        }
        return batchSize;
    }

    /** {@code interval}, or a {@link ConfigurationException} naming {@code setting} when it is negative. */
    static Duration checkFlushInterval(String setting, Duration interval) {
        if (interval == null || interval.isNegative()) {
            throw new ConfigurationException(setting, interval, setting + " must be >= 0, got " + interval);
        }
        return interval;
    }

    @Override
    public final void accept(DocumentRecord record) throws IOException {
        Objects.requireNonNull(record, "record");
        lock.lock();
        try {
            while (writing && buffer.size() >= waitingLimit && failure == null && !closed) {
                await("waiting for " + writer.description() + "; record for " + record.path() + " not written");
            }
            if (closed) {
                throw new IOException(writer.description() + " is closed; record for " + record.path()
                        + " not written");
            }
            checkFailure();
            buffer.add(record);
            maxBuffered = Math.max(maxBuffered, buffer.size() + inFlight);
            if (!writing && (buffer.size() >= batchSize
                    || flushIntervalNanos > 0 && time.nanoTime() - lastWrite >= flushIntervalNanos)) {
                drain(buffer.size() < batchSize);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void flush() throws IOException {
        lock.lock();
        try {
            if (!closed) {
                flushLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final PriorResults priorResults() {
        return writer.priorResults();
    }

    /** Flushes, lets the writer {@linkplain BatchWriter#finish() finish} and closes it; later calls do nothing. */
    @Override
    public final void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            IOException error = null;
            try {
                flushLocked();
                writer.finish();
            } catch (IOException e) {
                error = e;
            } finally {
                closed = true;
                changed.signalAll();
                if (timer != null) {
                    timer.close();
                }
                try {
                    writer.close();
                } catch (IOException e) {
                    if (error == null) {
                        error = e;
                    } else {
                        error.addSuppressed(e);
                    }
                }
            }
            if (error != null) {
                throw error;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Records held in memory now: waiting in the buffer plus the batch being written. */
    public final int buffered() {
        lock.lock();
        try {
            return buffer.size() + inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** The most records held in memory at once so far; never more than {@link #bufferBound()}. */
    public final int maxBuffered() {
        lock.lock();
        try {
            return maxBuffered;
        } finally {
            lock.unlock();
        }
    }

    /** The most records the sink holds: a batch being written and twice the batch size waiting. */
    public final int bufferBound() {
        return batchSize + waitingLimit;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + writer.description() + "]";
    }

    private void flushLocked() throws IOException {
        while (writing) {
            await("waiting for a write to " + writer.description());
        }
        checkFailure();
        drain(true);
        writer.sync();
    }

    private void await(String what) throws InterruptedIOException {
        try {
            changed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + what);
        }
    }

    private void checkFailure() throws IOException {
        if (failure != null) {
            throw new IOException("an earlier write to " + writer.description()
                    + " failed; no record is written after it: " + failure.getMessage(), failure);
        }
    }

    private void writeIfDue() {
        lock.lock();
        try {
            if (!closed && !writing && failure == null && !buffer.isEmpty()
                    && time.nanoTime() - lastWrite >= flushIntervalNanos) {
                drain(true);
            }
        } catch (IOException e) {
            // Remembered in `failure`: the next accept, flush or close reports it and stops the run.
            LOG.warn("Writing results to {} failed: {}", writer.description(), e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the buffer in batches of at most {@code batchSize}: while a full batch waits, or until the
     * buffer is empty when {@code all}. Called holding the lock, with no other writer; the lock is
     * released while a batch is written, so others may add up to {@link #waitingLimit} records meanwhile.
     */
    private void drain(boolean all) throws IOException {
        writing = true;
        try {
            while (failure == null && (buffer.size() >= batchSize || all && !buffer.isEmpty())) {
                List<DocumentRecord> slice = buffer.subList(0, Math.min(batchSize, buffer.size()));
                List<DocumentRecord> batch = new ArrayList<>(slice);
                slice.clear();
                inFlight = batch.size();
                changed.signalAll(); // room in the buffer
                IOException error = null;
                lock.unlock();
                try {
                    long start = time.nanoTime();
                    writer.write(batch);
                    metrics.sinkBatch(writer.kind(), batch.size(), time.nanoTime() - start);
                } catch (IOException e) {
                    error = e;
                } catch (RuntimeException e) {
                    // A writer's bug must stop the run like a failed write, not lose the batch silently.
                    error = new IOException("writing " + batch.size() + " records to " + writer.description()
                            + " failed: " + e, e);
                } finally {
                    lock.lock();
                }
                inFlight = 0;
                if (error != null) {
                    int lost = batch.size() + buffer.size();
                    buffer.clear();
                    LOG.error("{} records accepted but not written to {} are not recorded; a resumed run processes"
                            + " them again", lost, writer.description());
                    failure = error;
                    throw error;
                }
                lastWrite = time.nanoTime();
            }
            if (buffer.isEmpty()) {
                lastWrite = time.nanoTime();
            }
        } finally {
            writing = false;
            changed.signalAll();
        }
    }
}
