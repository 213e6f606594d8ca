package io.docclassify.sink;

import io.docclassify.DocumentRecord;
import io.docclassify.spi.PriorResults;
import java.io.IOException;
import java.util.List;

/**
 * Stores batches of records in one kind of store: the small part of a sink that {@link BatchingSink}
 * does not do. A new store (object storage, a search index) needs only this.
 *
 * <p>{@link BatchingSink} calls it from one thread at a time, never holding its own lock, so a write may
 * take long (a retry, a slow disk) while other threads keep adding records to the buffer.
 */
public interface BatchWriter extends AutoCloseable {

    /**
     * Stores {@code batch}. After a crash at any moment the store must hold whole records only (a
     * transaction, whole lines), and storing a record again must change nothing that
     * {@link #priorResults()} answers (an upsert keyed on sha256 and path, or a reader that skips repeats).
     *
     * @throws IOException when the batch cannot be stored; the sink then refuses all further records
     */
    void write(List<DocumentRecord> batch) throws IOException;

    /** Makes what {@link #write} stored durable, for {@link BatchingSink#flush()}; by default nothing to do. */
    default void sync() throws IOException {}

    /** What the store held before this run, for resume and cross-run dedup. */
    default PriorResults priorResults() {
        return PriorResults.NONE;
    }

    /** Called once by a {@link BatchingSink#close()} whose last flush succeeded, before {@link #close()}. */
    default void finish() throws IOException {}

    /** Releases what the writer holds (a file, a pool); called once, whatever happened before. */
    @Override
    void close() throws IOException;

    /** The store in words for messages, such as {@code results file out.jsonl}; never a password. */
    String description();

    /** A short name for metrics: {@code jsonl}, {@code jdbc}. */
    String kind();
}
