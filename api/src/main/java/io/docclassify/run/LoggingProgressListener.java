package io.docclassify.run;

import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.RunReport;
import io.docclassify.spi.ProgressListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a progress line at most once per interval: documents, failures, rates, and the ETA when the total is known.
 *
 * <p>For runs without a terminal (a service, a batch job, a CI log). Thread-safe.
 */
public final class LoggingProgressListener implements ProgressListener {

    private static final Logger LOG = LoggerFactory.getLogger(LoggingProgressListener.class);

    private final long intervalNanos;
    private final AtomicLong total = new AtomicLong(-1);
    private final LongAdder documents = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder pages = new LongAdder();
    private final AtomicLong nextLog = new AtomicLong();
    private volatile long start = System.nanoTime();

    public LoggingProgressListener(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("progress interval must be > 0, got " + interval);
        }
        this.intervalNanos = interval.toNanos();
    }

    /** Sets the number of documents the run will see, once known, for the ETA. */
    public void total(long documents) {
        total.set(documents);
    }

    @Override
    public void started() {
        start = System.nanoTime();
        nextLog.set(start + intervalNanos);
    }

    @Override
    public void recorded(DocumentRecord record) {
        documents.increment();
        if (record.outcome() instanceof Outcome.Failed) {
            failed.increment();
        }
        if (record.pages() != null) {
            pages.add(record.pages());
        }
        maybeLog();
    }

    @Override
    public void skipped() {
        documents.increment();
        maybeLog();
    }

    private void maybeLog() {
        long now = System.nanoTime();
        long due = nextLog.get();
        if (now < due || !nextLog.compareAndSet(due, now + intervalNanos)) {
            return;
        }
        double seconds = (now - start) / 1e9;
        long done = documents.sum();
        double rate = done / seconds;
        long expected = total.get();
        String eta = expected > done && rate > 0 ? ", ETA " + Durations.human(Duration.ofSeconds((long) ((expected - done) / rate))) : "";
        LOG.info("Progress: {}{} documents ({} failed), {} documents/s, {} pages/s{}", done,
                expected >= 0 ? "/" + expected : "", failed.sum(), String.format("%.1f", rate),
                String.format("%.1f", pages.sum() / seconds), eta);
    }

    @Override
    public void finished(RunReport report) {
        LOG.info("Finished: {} documents recorded in {}", report.documents(), Durations.human(report.elapsed()));
    }
}
