package io.docclassify.hazelcast;

import io.docclassify.ConfigurationException;
import io.docclassify.DocumentClassifier;
import io.docclassify.ExtractionLimits;
import io.docclassify.classify.EmbeddingClassifier;
import io.docclassify.classify.LinearClassifier;
import io.docclassify.classify.RulesClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.Engine;
import io.docclassify.spi.EngineRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a cluster member needs to build the same pipeline as the submitter: extraction limits, the
 * classifier, and the files it reads. Members read {@code taxonomy} and {@code model} from shared
 * storage (the same path on every host); nothing else is shipped.
 *
 * @param classifier {@code rules}, {@code embedding} or {@code linear}
 * @param taxonomy a taxonomy file for {@code rules} and {@code embedding}, or {@code null} for the built-in one
 * @param model a trained model file, required for {@code linear} and refused otherwise
 * @param limits the extraction limits
 */
public record PipelineSpec(String classifier, Path taxonomy, Path model, ExtractionLimits limits) {

    /** The classifier names a spec accepts. */
    public static final List<String> CLASSIFIERS = List.of("rules", "embedding", "linear");

    public PipelineSpec {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(limits, "limits");
        if (!CLASSIFIERS.contains(classifier)) {
            throw new ConfigurationException("classifier must be one of " + CLASSIFIERS + ", got '" + classifier + "'");
        }
        if (classifier.equals("linear") != (model != null)) {
            throw new ConfigurationException(model == null
                    ? "the 'linear' classifier needs a model file"
                    : "a model file is for the 'linear' classifier, not '" + classifier + "'");
        }
        if (model != null && taxonomy != null) {
            throw new ConfigurationException("a linear model carries its own labels; drop the taxonomy");
        }
        // Members on other hosts resolve paths on their own file system: only absolute paths mean the same there.
        taxonomy = taxonomy == null ? null : taxonomy.toAbsolutePath().normalize();
        model = model == null ? null : model.toAbsolutePath().normalize();
    }

    /** The default embedding classifier over the built-in taxonomy, with default limits. */
    public static PipelineSpec defaults() {
        return new PipelineSpec("embedding", null, null, ExtractionLimits.defaults());
    }

    /** Builds the classifier this spec names; it reads the taxonomy or model file. */
    Classifier createClassifier() {
        return switch (classifier) {
            case "rules" -> new RulesClassifier(taxonomy == null ? Taxonomy.builtIn() : Taxonomy.load(taxonomy));
            case "embedding" -> new EmbeddingClassifier(taxonomy == null ? Taxonomy.builtIn() : Taxonomy.load(taxonomy));
            default -> LinearClassifier.load(model);
        };
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
