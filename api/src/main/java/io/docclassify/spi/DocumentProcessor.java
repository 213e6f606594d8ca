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
}
