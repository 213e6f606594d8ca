package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import io.docclassify.classify.CascadeClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.llm.LlmClassifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of the LLM classifiers ({@code ollama}, {@code openai}) and of the {@code cascade}. */
final class LlmOptions {

    @Option(names = "--llm-api", paramLabel = "API",
            description = "The LLM the cascade asks: ollama or openai. Default: ollama.")
    String api;

    @Option(names = "--llm-url", paramLabel = "URL[,URL...]", split = ",",
            description = "Base URLs of the LLM servers, balanced by requests in flight. Default: $OLLAMA_HOST"
                    + " (else http://127.0.0.1:11434) for ollama, $OPENAI_BASE_URL (else https://api.openai.com/v1) for openai.")
    List<String> urls;

    @Option(names = "--llm-model", paramLabel = "NAME",
            description = "The model. Default: llama3.2:3b for ollama, gpt-4o-mini for openai.")
    String model;

    @Option(names = "--reasoning", description = "Ask the LLM for a short rationale, written to each record's 'rationale'.")
    boolean reasoning;

    @Option(names = "--escalate-below", paramLabel = "CONFIDENCE",
            description = "Cascade: documents the embedding classifier labels with a lower confidence go to the LLM."
                    + " Default: " + CascadeClassifier.DEFAULT_ESCALATE_BELOW + ".")
    Double escalateBelow;

    @Option(names = "--llm-timeout", paramLabel = "SECONDS", description = "Time one LLM request may take. Default: 60.")
    Long timeoutSeconds;

    @Option(names = "--llm-max-concurrent", paramLabel = "N", description = "LLM requests in flight per server. Default: 4.")
    Integer maxConcurrent;

    @Option(names = "--llm-retries", paramLabel = "N",
            description = "Retries per document after connection errors, timeouts, 429 and 5xx. Default: 3.")
    Integer retries;

    @Option(names = "--llm-text-budget", paramLabel = "CHARS",
            description = "Characters of each document's text sent to the LLM. Default: 4000.")
    Integer textBudget;

    /** Whether any LLM option was given, which only an LLM classifier or the cascade may use. */
    boolean given() {
        return api != null || urls != null || model != null || reasoning || escalateBelow != null || timeoutSeconds != null
                || maxConcurrent != null || retries != null || textBudget != null;
    }

    /** The LLM classifier for {@code apiName} ({@code ollama} or {@code openai}), settings from these options and the environment. */
    LlmClassifier create(String apiName, Taxonomy taxonomy, Map<String, String> environment) {
        LlmClassifier.Builder builder = switch (apiName) {
            case "ollama" -> LlmClassifier.ollama(taxonomy)
                    .urls(urls != null ? urls : List.of(environment.getOrDefault("OLLAMA_HOST", "http://127.0.0.1:11434")))
                    .model(model != null ? model : "llama3.2:3b");
            case "openai" -> LlmClassifier.openAi(taxonomy)
                    .urls(urls != null ? urls : List.of(environment.getOrDefault("OPENAI_BASE_URL", "https://api.openai.com/v1")))
                    .model(model != null ? model : "gpt-4o-mini")
                    .apiKey(environment.get("OPENAI_API_KEY"));
            default -> throw new ConfigurationException("--llm-api must be ollama or openai, got '" + apiName + "'");
        };
        builder.reasoning(reasoning);
        if (timeoutSeconds != null) {
            if (timeoutSeconds < 1) {
                throw new ConfigurationException("--llm-timeout must be >= 1 second, got " + timeoutSeconds);
            }
            builder.timeout(Duration.ofSeconds(timeoutSeconds));
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
        return builder.build();
    }

    @Override
    public String toString() {
        // Never the API key: it is read from the environment when the classifier is built, not kept here.
        return "LlmOptions" + Arrays.asList(api, urls, model);
    }
}
