package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import io.docclassify.classify.CascadeClassifier;
import io.docclassify.classify.ClassifierSpec;
import io.docclassify.spi.Classifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Builds the classifier a command names with {@code --classifier}, {@code --taxonomy} and {@code --model}. */
final class ClassifierChoice {

    /** The names {@code --classifier} accepts. */
    static final List<String> NAMES = ClassifierSpec.NAMES;

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
        return create(name, taxonomyFile, model, new LlmOptions(), Map.of());
    }

    /**
     * The same, with the LLM classifiers and the cascade.
     *
     * @param llm the LLM options; given for another classifier, they are refused
     * @param environment where {@code OLLAMA_HOST}, {@code OPENAI_BASE_URL} and {@code OPENAI_API_KEY} come from
     */
    static Classifier create(String name, Path taxonomyFile, Path model, LlmOptions llm, Map<String, String> environment) {
        return spec(name, taxonomyFile, model, llm, environment).create(environment);
    }

    /**
     * The description of the classifier the options name, which this process or cluster members build;
     * it loads no model. {@code name} is one of {@link ClassifierSpec#NAMES}, or {@code null} for the default.
     */
    static ClassifierSpec spec(String name, Path taxonomyFile, Path model, LlmOptions llm, Map<String, String> environment) {
        String chosen = name != null ? name : model != null ? "linear" : "embedding";
        boolean usesLlm = chosen.equals("ollama") || chosen.equals("openai") || chosen.equals("cascade");
        if (llm.given() && !usesLlm) {
            throw new ConfigurationException("the --llm-* options, --reasoning and --escalate-below configure an LLM;"
                    + " pass --classifier ollama, openai or cascade (or drop them)");
        }
        if (llm.escalateBelow != null && !chosen.equals("cascade")) {
            throw new ConfigurationException("--escalate-below is for --classifier cascade");
        }
        if (llm.api != null && !chosen.equals("cascade")) {
            throw new ConfigurationException("--llm-api picks the cascade's LLM; --classifier " + chosen + " names it already");
        }
        return switch (chosen) {
            case "ollama", "openai" -> {
                refuseModel(chosen, model);
                yield llm.spec(chosen, taxonomyFile, environment);
            }
            case "cascade" -> {
                refuseModel(chosen, model);
                double escalateBelow = llm.escalateBelow != null ? llm.escalateBelow : CascadeClassifier.DEFAULT_ESCALATE_BELOW;
                if (!(escalateBelow >= 0 && escalateBelow <= 1)) {
                    throw new ConfigurationException("--escalate-below must be in [0, 1], got " + escalateBelow);
                }
                yield new ClassifierSpec.Cascade(new ClassifierSpec.Embedding(taxonomyFile),
                        llm.spec(llm.api != null ? llm.api : "ollama", taxonomyFile, environment), escalateBelow);
            }
            case "rules" -> {
                refuseModel(chosen, model);
                yield new ClassifierSpec.Rules(taxonomyFile);
            }
            case "embedding" -> {
                refuseModel(chosen, model);
                yield new ClassifierSpec.Embedding(taxonomyFile);
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
                yield new ClassifierSpec.Linear(model);
            }
            default -> throw new ConfigurationException(
                    "--classifier must be one of " + NAMES + ", got '" + chosen + "'");
        };
    }

    private static void refuseModel(String name, Path model) {
        if (model != null) {
            throw new ConfigurationException("--model is for a trained classifier; the '" + name
                    + "' classifier takes none (drop --model or pass --classifier linear)");
        }
    }
}
