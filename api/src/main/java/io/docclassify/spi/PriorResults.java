package io.docclassify.spi;

/**
 * What a results store already holds from earlier runs, so a resumed run neither repeats nor loses work.
 *
 * <p>Thread-safe; consulted once per document after hashing.
 */
public interface PriorResults {

    /**
     * Whether a record for exactly this path and content exists: the document is done. A {@code null}
     * hash asks about a document that could not be read, and so was recorded without one.
     */
    boolean hasRecord(String path, String sha256);

    /** Whether this content already has a classified or failed record, under any path. */
    boolean hasContent(String sha256);

    /** How many records the store held when the run started. */
    long size();

    /** A store that knows nothing: every document is new. */
    PriorResults NONE = new PriorResults() {
        @Override
        public boolean hasRecord(String path, String sha256) {
            return false;
        }

        @Override
        public boolean hasContent(String sha256) {
            return false;
        }

        @Override
        public long size() {
            return 0;
        }
    };
}
