package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import io.docclassify.classify.EmbeddingClassifier;
import io.docclassify.classify.LinearClassifier;
import io.docclassify.classify.RulesClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.spi.Classifier;
import java.nio.file.Path;
import java.util.List;

/** Builds the classifier a command names with {@code --classifier}, {@code --taxonomy} and {@code --model}. */
final class ClassifierChoice {

    /** The names {@code --classifier} accepts. */
    static final List<String> NAMES = List.of("rules", "embedding", "linear");

    private ClassifierChoice() {}

    /**
     * The classifier to use.
     *
     * @param name {@code rules}, {@code embedding}, {@code linear}, or {@code null} for the default:
     *     {@code linear} when a model is given, else {@code embedding}
     * @param taxonomyFile a taxonomy file, or {@code null} for the built-in taxonomy
     * @param model a trained model file, or {@code null}
     */
    static Classifier create(String name, Path taxonomyFile, Path model) {
        String chosen = name != null ? name : model != null ? "linear" : "embedding";
        return switch (chosen) {
            case "rules" -> {
                refuseModel(chosen, model);
                yield new RulesClassifier(taxonomy(taxonomyFile));
            }
            case "embedding" -> {
                refuseModel(chosen, model);
                yield new EmbeddingClassifier(taxonomy(taxonomyFile));
            }
            case "linear" -> {
                if (model == null) {
                    throw new ConfigurationException("the 'linear' classifier needs a trained model: pass --model FILE"
                            + " (train one with 'doc-classify train --labels CSV --out FILE')");
                }
                if (taxonomyFile != null) {
                    throw new ConfigurationException("--taxonomy configures the rules and embedding classifiers; a linear"
                            + " model carries its own labels (drop --taxonomy)");
                }
                yield LinearClassifier.load(model);
            }
            default -> throw new ConfigurationException(
                    "--classifier must be one of " + NAMES + ", got '" + chosen + "'");
        };
    }

    private static Taxonomy taxonomy(Path file) {
        return file == null ? Taxonomy.builtIn() : Taxonomy.load(file);
    }

    private static void refuseModel(String name, Path model) {
        if (model != null) {
            throw new ConfigurationException("--model is for a trained classifier; the '" + name
                    + "' classifier takes none (drop --model or pass --classifier linear)");
        }
    }
}
