package io.docclassify.spi;

import java.nio.file.Path;

/**
 * Turns one file into text.
 *
 * <p>Implementations are thread-safe and reused for every document. The caller runs {@code extract}
 * on a thread it may abandon: it enforces the time budgets itself and, once it gives up, interrupts
 * the thread and answers {@code true} from {@link ExtractionProgress#cancelled()}. An extractor
 * should call {@link ExtractionProgress#advanced()} as text comes out, so that a parse that still
 * makes progress is told apart from one that hangs.
 */
public interface Extractor {

    /** A short id for logs and reports, such as {@code tika}. */
    String id();

    /**
     * Extracts the text of {@code file}.
     *
     * @throws ExtractionException when this document cannot be extracted; the run goes on
     */
    ExtractedText extract(Path file, ExtractionProgress progress) throws ExtractionException;
}
