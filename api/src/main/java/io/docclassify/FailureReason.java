package io.docclassify;

/**
 * The failure reasons the built-in stages record; custom stages may use their own codes.
 *
 * <p>Each constant's {@link #code()} is what {@link Outcome.Failed#reason()} holds.
 */
public enum FailureReason {
    /** The path does not exist (any more). */
    NOT_FOUND,
    /** The path is not a regular file. */
    NOT_A_FILE,
    /** A symbolic link leads out of the input root and following it was not allowed. */
    OUTSIDE_ROOT,
    /** Reading the file failed. */
    IO_ERROR,
    /** The file has no bytes. */
    EMPTY,
    /** The file, or something unpacked from it, is larger than the configured limit. */
    TOO_LARGE,
    /** Extraction went past its total time budget or made no progress for too long. */
    TIMEOUT,
    /** The document is protected by a password. */
    ENCRYPTED,
    /** No parser accepts this format. */
    UNSUPPORTED_FORMAT,
    /** The parser rejected the file as broken. */
    PARSE_ERROR,
    /** The parser ran out of memory on this document. */
    OUT_OF_MEMORY,
    /** The parser crashed with an unexpected error. */
    CRASHED,
    /** The document holds no text (a scan without OCR, an image, an empty page). */
    NO_TEXT,
    /** OCR of a page failed: Tesseract crashed, exited with an error or printed garbage. */
    OCR_FAILED,
    /** The classifier threw an error. */
    CLASSIFIER_ERROR,
    /** An LLM's answer was not valid JSON or named no known label, also after a corrective retry. */
    LLM_INVALID_ANSWER,
    /** No LLM endpoint gave an answer within the retry budget (errors, timeouts, open circuit breakers). */
    LLM_UNAVAILABLE,
    /** The LLM server refused the request itself (401, 404, ...): a configuration to fix, not retried. */
    LLM_REJECTED;

    /** The lower-case code written to result files, such as {@code too_large}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
