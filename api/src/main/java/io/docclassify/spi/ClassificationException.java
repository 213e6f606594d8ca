package io.docclassify.spi;

import java.util.Objects;

/**
 * Thrown by a {@link Classifier} that could not label a document, with a reason code to group such
 * failures by (such as {@code llm_invalid_answer}); the pipeline records it as a failure at stage
 * {@code classify} and goes on with the next document.
 */
public class ClassificationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason a lower-case code such as {@code llm_unavailable}
     * @param message what happened and what to do, for a person
     */
    public ClassificationException(String reason, String message) {
        this(reason, message, null);
    }

    /** The same, with the exception that caused it. */
    public ClassificationException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        if (!reason.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("reason must be a lower-case code like 'llm_unavailable', got '" + reason + "'");
        }
    }

    /** The failure's reason code. */
    public String reason() {
        return reason;
    }
}
