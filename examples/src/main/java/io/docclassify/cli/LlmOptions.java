package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import io.docclassify.classify.CascadeClassifier;
import io.docclassify.classify.ClassifierSpec;
import java.nio.file.Path;
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

    /**
     * The spec of the LLM classifier for {@code apiName} ({@code ollama} or {@code openai}), settings from these
     * options and the environment. The OpenAI key stays in the environment: the spec names {@code OPENAI_API_KEY},
     * which the process that builds the classifier reads.
     */
    ClassifierSpec.Llm spec(String apiName, Path taxonomy, Map<String, String> environment) {
        ClassifierSpec.LlmApi chosen = switch (apiName) {
            case "ollama" -> ClassifierSpec.LlmApi.OLLAMA;
            case "openai" -> ClassifierSpec.LlmApi.OPENAI;
            default -> throw new ConfigurationException("--llm-api must be ollama or openai, got '" + apiName + "'");
        };
        List<String> chosenUrls = urls != null ? urls : List.of(chosen == ClassifierSpec.LlmApi.OLLAMA
                ? environment.getOrDefault("OLLAMA_HOST", "http://127.0.0.1:11434")
                : environment.getOrDefault("OPENAI_BASE_URL", "https://api.openai.com/v1"));
        String chosenModel = model != null ? model : chosen == ClassifierSpec.LlmApi.OLLAMA ? "llama3.2:3b" : "gpt-4o-mini";
        if (timeoutSeconds != null && timeoutSeconds < 1) {
            throw new ConfigurationException("--llm-timeout must be >= 1 second, got " + timeoutSeconds);
        }
        return new ClassifierSpec.Llm(chosen, taxonomy, chosenUrls, chosenModel, reasoning,
                timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds), maxConcurrent, retries, textBudget,
                chosen == ClassifierSpec.LlmApi.OPENAI ? "OPENAI_API_KEY" : null, null);
    }

    @Override
    public String toString() {
        // Never the API key: it is read from the environment when the classifier is built, not kept here.
        return "LlmOptions" + Arrays.asList(api, urls, model);
    }
}
