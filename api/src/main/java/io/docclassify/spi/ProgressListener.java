package io.docclassify.spi;

import io.docclassify.DocumentRecord;
import io.docclassify.RunReport;

/**
 * Watches a run: progress bars, periodic log lines, a host's own metrics.
 *
 * <p>{@link #recorded} is called from worker threads, concurrently; keep it cheap and thread-safe.
 */
public interface ProgressListener {

    /** The run is about to start. */
    default void started() {}

    /** A document was recorded. */
    default void recorded(DocumentRecord record) {}

    /** A document was skipped because an earlier run recorded it (resume). */
    default void skipped() {}

    /** The run ended, completely or after a stop. */
    default void finished(RunReport report) {}
}
