package io.docclassify.cli;

/** A request the service answers with an error status and a message that says what to change. */
final class ServiceError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final Integer retryAfterSeconds;

    ServiceError(int status, String message) {
        this(status, message, null);
    }

    /** With {@code retryAfterSeconds}, the answer carries a {@code Retry-After} header (for 429 and 503). */
    ServiceError(int status, String message, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    int status() {
        return status;
    }

    Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
