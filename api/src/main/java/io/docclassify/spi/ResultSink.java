package io.docclassify.spi;

import io.docclassify.DocumentRecord;
import java.io.IOException;

/**
 * Where records go: a file, a database, a host's own store.
 *
 * <p>{@link #accept} is called from many threads at once and may buffer; {@link #flush} makes every
 * accepted record durable; {@link #close} flushes. A record must never be half-written: after a
 * crash the store holds whole records only. An {@link IOException} stops the run, since records
 * that cannot be stored would be lost.
 */
public interface ResultSink extends AutoCloseable {

    /** Takes one record; thread-safe. */
    void accept(DocumentRecord record) throws IOException;

    /** Makes every accepted record durable. */
    void flush() throws IOException;

    /** What the store held before this run, for resume and cross-run dedup. */
    default PriorResults priorResults() {
        return PriorResults.NONE;
    }

    @Override
    void close() throws IOException;
}
