package io.docclassify.hazelcast;

import io.docclassify.DocumentClassifier;
import io.docclassify.ExtractionLimits;
import io.docclassify.classify.ClassifierSpec;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.Engine;
import io.docclassify.spi.EngineRun;
import java.util.List;
import java.util.Objects;

/**
 * What a cluster member needs to build the same pipeline as the submitter: extraction limits and the
 * classifier. Members read the files the classifier names (taxonomy, model, API key file) from shared
 * storage (the same path on every host); nothing else is shipped, and never an API key.
 *
 * @param classifier the classifier every member builds
 * @param limits the extraction limits
 */
public record PipelineSpec(ClassifierSpec classifier, ExtractionLimits limits) {

    public PipelineSpec {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(limits, "limits");
    }

    /** The default embedding classifier over the built-in taxonomy, with default limits. */
    public static PipelineSpec defaults() {
        return new PipelineSpec(new ClassifierSpec.Embedding(null), ExtractionLimits.defaults());
    }

    /** This spec with the member's own LLM servers, or as it is when {@code urls} is empty. */
    PipelineSpec withLlmUrls(List<String> urls) {
        return urls.isEmpty() ? this : new PipelineSpec(classifier.withLlmUrls(urls), limits);
    }

    /** Builds the classifier this spec names, on this member: files and API keys are this host's. */
    Classifier createClassifier() {
        return classifier.create(System.getenv());
    }

    /** A memory-less pipeline for a member: {@link DocumentClassifier#classify(io.docclassify.DocumentRef)} only. */
    DocumentClassifier createPipeline() {
        return DocumentClassifier.builder().engine(NO_RUNS).limits(limits).classifier(createClassifier()).build();
    }

    /** Members never run a whole source themselves; they classify the documents of the chunks they are sent. */
    private static final Engine NO_RUNS = new Engine() {
        @Override
        public String name() {
            return "member";
        }

        @Override
        public void run(EngineRun run) {
            throw new UnsupportedOperationException("a member's pipeline classifies single documents only");
        }
    };
}
