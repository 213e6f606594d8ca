package io.docclassify.spi;

import io.docclassify.DocumentRef;
import java.io.IOException;
import java.util.stream.Stream;

/**
 * Where the documents of a run come from.
 *
 * <p>{@link #open()} must stream lazily: a source over a million files must not list them into
 * memory first. Each call starts a new pass; the caller closes the stream. Problems known before
 * the first document (a missing root, a manifest without a {@code path} column) are thrown from
 * {@code open()}; a source may be opened more than once (the CLI counts documents for its ETA in a
 * second pass).
 */
@FunctionalInterface
public interface DocumentSource {

    /** Starts a lazy pass over the documents; the caller must close the stream. */
    Stream<DocumentRef> open() throws IOException;
}
