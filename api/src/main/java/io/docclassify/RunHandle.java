package io.docclassify;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One run as a host watches and stops it while it goes: pass a new handle to
 * {@link DocumentClassifier#run(io.docclassify.spi.DocumentSource, io.docclassify.spi.ResultSink, RunHandle)},
 * read its counts from any thread, and {@link #stop()} that run alone.
 *
 * <p>Thread-safe. The counts are of records handed to the sink so far (skipped documents, which a resumed
 * run already holds, are counted apart); they are read without a lock, so a reader may see one count a
 * record ahead of another. A handle belongs to one run; passing it to a second run is refused.
 */
public final class RunHandle {

    private final LongAdder classified = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private volatile boolean stopRequested;
    private final AtomicBoolean started = new AtomicBoolean();

    /**
     * Asks this run to start no new document, finish those in flight, and return; other runs of the same
     * {@link DocumentClassifier} go on. A stopped run can be continued by a new run into a sink that resumes.
     */
    public void stop() {
        stopRequested = true;
    }

    /** Whether {@link #stop()} was called. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Records written so far: classified, failed and duplicates. */
    public long recorded() {
        return classified.sum() + failed.sum() + duplicates.sum();
    }

    /** Documents that got a label so far. */
    public long classified() {
        return classified.sum();
    }

    /** Documents recorded as failed so far. */
    public long failed() {
        return failed.sum();
    }

    /** Documents recorded as duplicates of content seen before, so far. */
    public long duplicates() {
        return duplicates.sum();
    }

    /** Documents skipped because the sink already held their record (a resumed run). */
    public long skipped() {
        return skipped.sum();
    }

    void begin() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("this RunHandle was given to a run already; use a new RunHandle per run");
        }
    }

    void recorded(DocumentRecord record) {
        switch (record.outcome()) {
            case Outcome.Classified c -> classified.increment();
            case Outcome.Failed f -> failed.increment();
            case Outcome.Duplicate d -> duplicates.increment();
        }
    }

    void skippedOne() {
        skipped.increment();
    }
}
