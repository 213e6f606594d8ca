package io.docclassify.hazelcast;

/** A member cannot build a run's pipeline: a configuration problem no retry on another member fixes. */
final class PipelineUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PipelineUnavailableException(String message) {
        super(message);
    }
}
