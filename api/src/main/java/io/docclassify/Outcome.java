package io.docclassify;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
     * @param rationale a short reason for the label in words (an LLM asked for one), or {@code null}
     * @param decidedBy which stage of a composite classifier decided (such as {@code embedding} or
     *     {@code llm} in a cascade), or {@code null} for a single classifier
     * @param embedding the document's embedding vector when the classifier computed one, or {@code null};
     *     kept for stores that index it, not written to JSON Lines
     * @param segments the documents a split file holds, covering its pages in order ({@link
     *     io.docclassify.ExtractionLimits#split()}), or {@code null} when the file was not split
     */
    record Classified(String label, double confidence, Map<String, Double> scores, String rationale,
            String decidedBy, float[] embedding, List<Segment> segments) implements Outcome {
        public Classified {
            Objects.requireNonNull(label, "label");
            if (label.isBlank()) {
                throw new IllegalArgumentException("label must not be blank");
            }
            if (!(confidence >= 0.0 && confidence <= 1.0)) {
                throw new IllegalArgumentException("confidence must be in [0, 1], got " + confidence);
            }
            scores = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(scores, "scores")));
            embedding = embedding == null ? null : embedding.clone();
            segments = segments == null ? null : List.copyOf(segments);
        }

        /** A result without segments (the file was not split). */
        public Classified(String label, double confidence, Map<String, Double> scores, String rationale,
                String decidedBy, float[] embedding) {
            this(label, confidence, scores, rationale, decidedBy, embedding, null);
        }

        /** A label with its confidence and scores, and nothing more. */
        public Classified(String label, double confidence, Map<String, Double> scores) {
            this(label, confidence, scores, null, null, null, null);
        }

        /** The embedding vector (a copy), or {@code null}. */
        @Override
        public float[] embedding() {
            return embedding == null ? null : embedding.clone();
        }

        /** This result with a rationale. */
        public Classified withRationale(String why) {
            return new Classified(label, confidence, scores, why, decidedBy, embedding, segments);
        }

        /** This result, noting which stage of a composite classifier decided. */
        public Classified withDecidedBy(String stage) {
            return new Classified(label, confidence, scores, rationale, stage, embedding, segments);
        }

        /** This result with the documents a split file holds. */
        public Classified withSegments(List<Segment> value) {
            return new Classified(label, confidence, scores, rationale, decidedBy, embedding, value);
        }

        /** This result with the document's embedding vector. */
        public Classified withEmbedding(float[] vector) {
            return new Classified(label, confidence, scores, rationale, decidedBy, vector, segments);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Classified c
                    && label.equals(c.label)
                    && Double.compare(confidence, c.confidence) == 0
                    && scores.equals(c.scores)
                    && Objects.equals(rationale, c.rationale)
                    && Objects.equals(decidedBy, c.decidedBy)
                    && Arrays.equals(embedding, c.embedding)
                    && Objects.equals(segments, c.segments);
        }

        @Override
        public int hashCode() {
            return Objects.hash(label, confidence, scores, rationale, decidedBy, segments) * 31 + Arrays.hashCode(embedding);
        }

        @Override
        public String toString() {
            return "Classified[label=" + label + ", confidence=" + confidence + ", scores=" + scores
                    + (rationale == null ? "" : ", rationale=" + rationale)
                    + (decidedBy == null ? "" : ", decidedBy=" + decidedBy)
                    + (embedding == null ? "" : ", embedding=float[" + embedding.length + "]")
                    + (segments == null ? "" : ", segments=" + segments) + "]";
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
