package io.docclassify.spi;

import io.docclassify.DocumentRecord;
import java.io.IOException;

/**
 * Takes the records an engine produces: it counts them, tells the listeners and hands them to the sink.
 *
 * <p>Thread-safe. An {@link IOException} means the sink failed; the engine stops the run and rethrows it.
 */
@FunctionalInterface
public interface RecordCollector {

    /** Takes one record. */
    void collect(DocumentRecord record) throws IOException;
}
