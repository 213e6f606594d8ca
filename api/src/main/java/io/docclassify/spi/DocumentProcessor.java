package io.docclassify.spi;

import io.docclassify.DocumentRecord;
import io.docclassify.DocumentRef;
import java.util.Optional;

/**
 * The shared pipeline an engine schedules: read, hash, dedup, extract, classify one document.
 *
 * <p>Thread-safe. It never throws for a bad document: every failure becomes a record.
 */
@FunctionalInterface
public interface DocumentProcessor {

    /**
     * Processes one document.
     *
     * @return the document's record, or empty when an earlier run already recorded it (resume)
     * @throws InterruptedException when the engine is shutting down; the document gets no record
     *     and a resumed run picks it up
     */
    Optional<DocumentRecord> process(DocumentRef ref) throws InterruptedException;

    /**
     * Applies this run's memory to a record that a memory-less copy of the pipeline computed elsewhere
     * (a cluster member): the record itself, a {@code duplicate} when this run or the store already has
     * its content, or empty when an earlier run recorded the document (resume). Call it once per record,
     * on the submitting side. Default: the record unchanged.
     */
    default Optional<DocumentRecord> admit(DocumentRecord computed) {
        return Optional.of(computed);
    }
}
