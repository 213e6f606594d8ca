package io.docclassify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a document ended: classified, failed at a stage, or a duplicate of content seen before.
 *
 * <p>Read it with an exhaustive {@code switch}; the set of outcomes is closed.
 */
public sealed interface Outcome {

    /** The name written to result files: {@code classified}, {@code failed} or {@code duplicate}. */
    String code();

    /**
     * The document got a label.
     *
     * @param label one of the taxonomy's labels (or its fallback label, {@code other} by default)
     * @param confidence in [0, 1]: how sure the classifier is of {@code label}
     * @param scores per-label scores in [0, 1], in the order the classifier ranked them
     */
    record Classified(String label, double confidence, Map<String, Double> scores) implements Outcome {
        public Classified {
            Objects.requireNonNull(label, "label");
            if (label.isBlank()) {
                throw new IllegalArgumentException("label must not be blank");
            }
            if (!(confidence >= 0.0 && confidence <= 1.0)) {
                throw new IllegalArgumentException("confidence must be in [0, 1], got " + confidence);
            }
            scores = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(scores, "scores")));
        }

        @Override
        public String code() {
            return "classified";
        }
    }

    /**
     * The document could not be classified; the run went on without it.
     *
     * @param stage where it failed
     * @param reason a stable, lower-case code to group failures by, such as {@code timeout}
     * @param message what happened, for a person
     */
    record Failed(Stage stage, String reason, String message) implements Outcome {
        public Failed {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(reason, "reason");
            if (!reason.matches("[a-z][a-z0-9_]*")) {
                throw new IllegalArgumentException("reason must be a lower-case code like 'timeout', got '" + reason + "'");
            }
            message = message == null ? "" : message;
        }

        @Override
        public String code() {
            return "failed";
        }
    }

    /**
     * The document's content was already processed in this run or an earlier one.
     *
     * @param of the SHA-256 (lower-case hex) of the content, whose first record holds the result
     */
    record Duplicate(String of) implements Outcome {
        public Duplicate {
            Objects.requireNonNull(of, "of");
        }

        @Override
        public String code() {
            return "duplicate";
        }
    }
}
