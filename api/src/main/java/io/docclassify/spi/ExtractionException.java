package io.docclassify.spi;

import io.docclassify.FailureReason;
import java.util.Objects;

/**
 * An extractor's refusal of one document; the run records it as failed at stage {@code extract} and goes on.
 */
public class ExtractionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final String mediaType;

    /**
     * @param reason the failure code, usually a {@link FailureReason#code()}
     * @param mediaType the media type detected before the failure, or {@code null}
     */
    public ExtractionException(String reason, String mediaType, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.mediaType = mediaType;
    }

    public ExtractionException(FailureReason reason, String mediaType, String message, Throwable cause) {
        this(reason.code(), mediaType, message, cause);
    }

    /** The failure code to record, such as {@code encrypted}. */
    public String reason() {
        return reason;
    }

    /** The media type detected before the failure, or {@code null}. */
    public String mediaType() {
        return mediaType;
    }
}
