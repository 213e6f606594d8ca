package io.docclassify.classify;

import io.docclassify.ConfigurationException;
import io.docclassify.llm.LlmClassifier;
import io.docclassify.spi.Classifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A description of a classifier, small enough to send to another process, which {@link #create(Map)}
 * turns into the classifier. The command line builds one; a cluster carries it to its members; each
 * process builds its own classifier from it. Adding a classifier means adding a case here: every
 * exhaustive {@code switch} over the cases (building one, writing one to the wire) then asks for it.
 *
 * <p>Specs are immutable values; they hold file paths, URLs and settings, never a secret: an LLM
 * spec names the environment variable or file its API key is read from, by the process that builds it.
 */
public sealed interface ClassifierSpec {

    /** The name of every classifier, in the order a user reads them; {@link #name()} is one of them. */
    List<String> NAMES = List.of("rules", "embedding", "linear", "ollama", "openai", "cascade");

    /** This classifier's name, one of {@link #NAMES}. */
    String name();

    /** A short description for logs and run summaries, such as {@code ollama@llama3.2:3b}; the name when there is no more to say. */
    default String describe() {
        return name();
    }

    /**
     * Builds the classifier this spec describes: it reads the taxonomy or model file and, for an LLM,
     * the API key from {@code environment} or the key file.
     *
     * @param environment where an LLM's API key variable is looked up, normally {@link System#getenv()}
     */
    default Classifier create(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        return switch (this) {
            case Rules rules -> new RulesClassifier(loadTaxonomy(rules.taxonomy()));
            case Embedding embedding -> new EmbeddingClassifier(loadTaxonomy(embedding.taxonomy()), embedding.vectors());
            case Linear linear -> LinearClassifier.load(linear.model());
            case Llm llm -> llm.build(environment);
            case Cascade cascade -> new CascadeClassifier(cascade.first().create(environment),
                    cascade.second().create(environment), cascade.escalateBelow());
        };
    }

    /**
     * This spec with every LLM's servers replaced by {@code urls}: how a cluster member that names its own
     * LLM servers (typically the Ollama on its own host) runs a spec the submitter built. Other settings,
     * the model and the API key's source included, stay as they are.
     *
     * @param urls base URLs, at least one
     */
    default ClassifierSpec withLlmUrls(List<String> urls) {
        return switch (this) {
            case Rules rules -> rules;
            case Embedding embedding -> embedding;
            case Linear linear -> linear;
            case Llm llm -> new Llm(llm.api(), llm.taxonomy(), urls, llm.model(), llm.reasoning(), llm.timeout(),
                    llm.maxConcurrent(), llm.retries(), llm.textBudget(), llm.apiKeyVariable(), llm.apiKeyFile());
            case Cascade cascade -> new Cascade(cascade.first().withLlmUrls(urls), cascade.second().withLlmUrls(urls),
                    cascade.escalateBelow());
        };
    }

    /**
     * This spec with the embedding classifier (a cascade's first stage too) giving every result the
     * document's embedding vector, for a sink that stores it (PostgreSQL's {@code embedding} column);
     * other classifiers give none, and the spec stays as it is.
     */
    default ClassifierSpec withVectors() {
        return switch (this) {
            case Embedding embedding -> new Embedding(embedding.taxonomy(), true);
            case Cascade cascade -> new Cascade(cascade.first().withVectors(), cascade.second(), cascade.escalateBelow());
            case Rules rules -> rules;
            case Linear linear -> linear;
            case Llm llm -> llm;
        };
    }

    private static Taxonomy loadTaxonomy(Path file) {
        return file == null ? Taxonomy.builtIn() : Taxonomy.load(file);
    }

    private static Path absolute(Path file) {
        // Members on other hosts resolve paths on their own file system: only absolute paths mean the same there.
        return file == null ? null : file.toAbsolutePath().normalize();
    }

    /** The keyword rules over a taxonomy file, or over the built-in taxonomy when {@code taxonomy} is {@code null}. */
    record Rules(Path taxonomy) implements ClassifierSpec {
        public Rules {
            taxonomy = absolute(taxonomy);
        }

        @Override
        public String name() {
            return "rules";
        }
    }

    /**
     * The embedding classifier over a taxonomy file, or over the built-in taxonomy when {@code taxonomy}
     * is {@code null}; with {@code vectors}, every result carries the document's embedding vector (see
     * {@link EmbeddingClassifier#EmbeddingClassifier(Taxonomy, boolean)}).
     */
    record Embedding(Path taxonomy, boolean vectors) implements ClassifierSpec {
        public Embedding {
            taxonomy = absolute(taxonomy);
        }

        /** Without vectors where the labels do not need them. */
        public Embedding(Path taxonomy) {
            this(taxonomy, false);
        }

        @Override
        public String name() {
            return "embedding";
        }
    }

    /** A trained linear model, read from {@code model}. */
    record Linear(Path model) implements ClassifierSpec {
        public Linear {
            if (model == null) {
                throw new ConfigurationException("ClassifierSpec.Linear.model", null,
                        "the linear classifier needs a trained model file; train one with LinearClassifier.train");
            }
            model = absolute(model);
        }

        @Override
        public String name() {
            return "linear";
        }

        @Override
        public String describe() {
            return "linear(" + model.getFileName() + ")";
        }
    }

    /** The chat API an {@link Llm} spec speaks. */
    enum LlmApi {
        OLLAMA("ollama"), OPENAI("openai");

        private final String id;

        LlmApi(String id) {
            this.id = id;
        }

        /** Its name among {@link #NAMES}: {@code ollama} or {@code openai}. */
        public String id() {
            return id;
        }

        /** The API named {@code name} ({@code ollama} or {@code openai}). */
        public static LlmApi named(String name) {
            for (LlmApi api : values()) {
                if (api.id.equals(name)) {
                    return api;
                }
            }
            throw new ConfigurationException("ClassifierSpec.LlmApi", name,
                    "an LLM API is ollama or openai, got '" + name + "'");
        }
    }

    /**
     * An LLM classifier behind HTTP. Optional settings are {@code null} for {@link LlmClassifier}'s defaults.
     *
     * @param api the chat API
     * @param taxonomy a taxonomy file, or {@code null} for the built-in taxonomy
     * @param urls the servers' base URLs, at least one
     * @param model the model name, such as {@code llama3.2:3b}
     * @param reasoning whether to ask for a rationale
     * @param timeout the time one request may take, or {@code null}
     * @param maxConcurrent requests in flight per server, or {@code null}
     * @param retries retries per document, or {@code null}
     * @param textBudget characters of text sent, or {@code null}
     * @param apiKeyVariable the environment variable the building process reads the API key from, or {@code null}
     * @param apiKeyFile the file the building process reads the API key from, or {@code null}; it wins over the variable
     */
    record Llm(LlmApi api, Path taxonomy, List<String> urls, String model, boolean reasoning, Duration timeout,
            Integer maxConcurrent, Integer retries, Integer textBudget, String apiKeyVariable, Path apiKeyFile)
            implements ClassifierSpec {

        public Llm {
            Objects.requireNonNull(api, "api");
            taxonomy = absolute(taxonomy);
            if (urls == null || urls.isEmpty()) {
                throw new ConfigurationException("ClassifierSpec.Llm.urls", urls,
                        "an LLM spec needs at least one server URL, such as http://127.0.0.1:11434");
            }
            urls = List.copyOf(urls);
            if (model == null || model.isBlank()) {
                throw new ConfigurationException("ClassifierSpec.Llm.model", model,
                        "an LLM spec needs a model name, such as llama3.2:3b");
            }
            if (apiKeyVariable != null && apiKeyVariable.isBlank()) {
                apiKeyVariable = null;
            }
            apiKeyFile = absolute(apiKeyFile);
        }

        /** The ollama or OpenAI spec with default settings and no API key. */
        public static Llm of(LlmApi api, Path taxonomy, List<String> urls, String model) {
            return new Llm(api, taxonomy, urls, model, false, null, null, null, null, null, null);
        }

        @Override
        public String name() {
            return api.id();
        }

        @Override
        public String describe() {
            return api.id() + "@" + model + (reasoning ? "+reasoning" : "");
        }

        LlmClassifier build(Map<String, String> environment) {
            Taxonomy labels = loadTaxonomy(taxonomy);
            LlmClassifier.Builder builder = switch (api) {
                case OLLAMA -> LlmClassifier.ollama(labels);
                case OPENAI -> LlmClassifier.openAi(labels);
            };
            builder.urls(urls).model(model).reasoning(reasoning);
            if (timeout != null) {
                builder.timeout(timeout);
            }
            if (maxConcurrent != null) {
                builder.maxConcurrent(maxConcurrent);
            }
            if (retries != null) {
                builder.retries(retries);
            }
            if (textBudget != null) {
                builder.textBudget(textBudget);
            }
            String key = apiKey(environment);
            if (key != null) {
                builder.apiKey(key);
            }
            return builder.build();
        }

        private String apiKey(Map<String, String> environment) {
            if (apiKeyFile != null) {
                try {
                    return Files.readString(apiKeyFile, StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new ConfigurationException("ClassifierSpec.Llm.apiKeyFile", apiKeyFile,
                            "cannot read the API key file " + apiKeyFile + " (" + e.getMessage()
                                    + "); make it readable on this host or name an environment variable instead", e);
                }
            }
            return apiKeyVariable == null ? null : environment.get(apiKeyVariable);
        }

        @Override
        public String toString() {
            // Nothing secret is held, but say so: the key's source, never a key.
            return "Llm[" + describe() + ", urls=" + urls + ", apiKeyVariable=" + apiKeyVariable + ", apiKeyFile="
                    + apiKeyFile + "]";
        }
    }

    /**
     * The cascade: {@code first} labels every document; those it labels with a confidence below
     * {@code escalateBelow} go to {@code second}.
     */
    record Cascade(ClassifierSpec first, ClassifierSpec second, double escalateBelow) implements ClassifierSpec {
        public Cascade {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(second, "second");
            if (!(escalateBelow >= 0 && escalateBelow <= 1)) {
                throw new ConfigurationException("ClassifierSpec.Cascade.escalateBelow", escalateBelow,
                        "ClassifierSpec.Cascade.escalateBelow must be in [0, 1], got " + escalateBelow);
            }
        }

        @Override
        public String name() {
            return "cascade";
        }

        @Override
        public String describe() {
            return "cascade(" + first.describe() + "<" + String.format(Locale.ROOT, "%.2f", escalateBelow) + ">"
                    + second.describe() + ")";
        }
    }
}
