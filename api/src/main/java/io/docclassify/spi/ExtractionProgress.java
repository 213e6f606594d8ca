package io.docclassify.spi;

/**
 * The line between an extractor and the caller that guards it: the extractor reports progress,
 * the caller decides when to give up.
 *
 * <p>Implementations are thread-safe: the extractor calls from its thread, the caller reads from its own.
 */
public interface ExtractionProgress {

    /** Tells the caller the parse is still producing output; cheap enough to call per text chunk. */
    void advanced();

    /** Whether the caller has given up on this document; the extractor should stop as soon as it sees it. */
    boolean cancelled();

    /** A progress that nobody watches, for direct calls and tests. */
    ExtractionProgress NONE = new ExtractionProgress() {
        @Override
        public void advanced() {}

        @Override
        public boolean cancelled() {
            return false;
        }
    };
}
