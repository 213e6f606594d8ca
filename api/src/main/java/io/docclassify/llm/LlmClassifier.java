package io.docclassify.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docclassify.ConfigurationException;
import io.docclassify.FailureReason;
import io.docclassify.Outcome;
import io.docclassify.classify.LabelDefinition;
import io.docclassify.classify.Taxonomy;
import io.docclassify.concurrent.Backoff;
import io.docclassify.concurrent.TimeSource;
import io.docclassify.spi.ClassificationException;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies documents by asking an LLM server, Ollama ({@link #ollama}) or an OpenAI-compatible one
 * ({@link #openAi}), for a JSON answer whose label must be one of the taxonomy's.
 *
 * <p>Thread-safe; I/O-bound ({@link #cpuBound()} is {@code false}), so an engine may keep many calls
 * in flight. Deterministic as far as the server is (temperature 0).
 */
/*
 * Design notes. Each call goes to one of several endpoints, picked by least requests in flight and
 * limited per endpoint by a semaphore; each endpoint has a circuit breaker so a dead server is not
 * asked on every document. A document has a budget of `retries` transport failures (connection
 * errors, timeouts, 429, 5xx), each followed by exponential backoff with full jitter (or the
 * server's Retry-After), and independently one corrective retry for an answer that is not valid
 * JSON or names no known label. So a document makes at most retries + 2 calls. Failures end as a
 * ClassificationException with reason llm_unavailable, llm_rejected or llm_invalid_answer, which
 * the pipeline records. The API key goes into the Authorization header only: never into ids,
 * messages, logs or toString.
 */
public final class LlmClassifier implements Classifier {

    private static final Logger LOG = LoggerFactory.getLogger(LlmClassifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Part of the id: a new prompt is a new classifier version, so cached results are not reused. */
    static final String PROMPT_VERSION = "p1";
    static final int MAX_RAW_ANSWER = 500;

    private final Api api;
    private final String model;
    private final Taxonomy taxonomy;
    private final boolean reasoning;
    private final int textBudget;
    private final Duration timeout;
    private final int retries;
    private final Backoff backoff;
    private final Duration keepAlive;
    private final String apiKey;
    private final TimeSource time;
    private final EndpointPool pool;
    private final HttpClient http;
    private final ObjectNode schema;
    private final String systemPrompt;
    /** Cleared once an OpenAI-compatible server refuses {@code response_format}. */
    private final AtomicBoolean structuredOutput = new AtomicBoolean(true);

    private LlmClassifier(Builder b) {
        this.api = b.api;
        this.model = b.model;
        this.taxonomy = b.taxonomy;
        this.reasoning = b.reasoning;
        this.textBudget = b.textBudget;
        this.timeout = b.timeout;
        this.retries = b.retries;
        this.backoff = b.backoff;
        this.keepAlive = b.keepAlive;
        this.apiKey = b.apiKey;
        this.time = b.time;
        List<Endpoint> endpoints = new ArrayList<>();
        for (String url : b.urls) {
            endpoints.add(new Endpoint(api.chatUri(url), b.maxConcurrent,
                    new CircuitBreaker(b.breakerThreshold, b.breakerOpenFor, b.time::nanoTime)));
        }
        this.pool = new EndpointPool(endpoints);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        this.schema = schema(taxonomy.labelNames(), reasoning);
        this.systemPrompt = systemPrompt(taxonomy, reasoning);
    }

    /** A builder for Ollama's chat API; the base URL defaults to {@code http://127.0.0.1:11434}. */
    public static Builder ollama(Taxonomy taxonomy) {
        return new Builder(Api.OLLAMA, taxonomy).urls(List.of("http://127.0.0.1:11434"));
    }

    /** A builder for an OpenAI-compatible chat completions API; the base URL defaults to {@code https://api.openai.com/v1}. */
    public static Builder openAi(Taxonomy taxonomy) {
        return new Builder(Api.OPENAI, taxonomy).urls(List.of("https://api.openai.com/v1"));
    }

    /** {@code ollama@MODEL/p1} or {@code openai@MODEL/p1}, {@code +reasoning} when a rationale is asked for. */
    @Override
    public String id() {
        return api.id + "@" + model + (reasoning ? "+reasoning" : "") + "/" + PROMPT_VERSION;
    }

    @Override
    public boolean cpuBound() {
        return false;
    }

    /** The chat URIs asked, in the order given. */
    public List<URI> endpoints() {
        return pool.endpoints().stream().map(e -> e.uri).toList();
    }

    @Override
    public String toString() {
        return "LlmClassifier[" + id() + ", endpoints=" + endpoints() + ", apiKey=" + (apiKey == null ? "none" : "***") + "]";
    }

    @Override
    public Outcome.Classified classify(ExtractedText text) {
        ArrayNode messages = JSON.createArrayNode();
        messages.addObject().put("role", "system").put("content", systemPrompt);
        messages.addObject().put("role", "user").put("content", userPrompt(text));
        Attempts attempts = new Attempts();
        String answer = call(messages, attempts);
        Object parsed = parse(answer);
        if (parsed instanceof String problem) {
            LOG.debug("invalid answer from {} ({}); asking again with a correction", model, problem);
            messages.addObject().put("role", "assistant").put("content", answer);
            messages.addObject().put("role", "user").put("content", "Your answer was not usable: " + problem
                    + ". Answer again with only a JSON object following the schema; \"label\" must be one of "
                    + taxonomy.labelNames() + ".");
            answer = call(messages, attempts);
            parsed = parse(answer);
            if (parsed instanceof String again) {
                throw new ClassificationException(FailureReason.LLM_INVALID_ANSWER.code(), "the model " + model
                        + " gave no usable answer after a corrective retry (" + again + "); raw answer: "
                        + truncate(answer));
            }
        }
        return (Outcome.Classified) parsed;
    }

    /** The document's transport failures so far, shared by its first and its corrective call. */
    private static final class Attempts {
        int failures;
        Endpoint lastFailed;
    }

    /** One answer's text, after as many transport retries as the budget allows. */
    private String call(ArrayNode messages, Attempts attempts) {
        while (true) {
            Endpoint endpoint;
            try {
                endpoint = pool.acquire(attempts.lastFailed);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClassificationException("interrupted", "interrupted while waiting for an LLM endpoint");
            }
            Duration wait;
            String problem;
            if (endpoint == null) {
                problem = "every endpoint's circuit breaker is open " + endpoints();
                wait = null;
            } else {
                Result result = send(endpoint, messages);
                if (result.answer != null) {
                    return result.answer;
                }
                problem = result.problem;
                wait = result.retryAfter;
                attempts.lastFailed = endpoint;
            }
            if (attempts.failures >= retries) {
                throw new ClassificationException(FailureReason.LLM_UNAVAILABLE.code(), "no answer from the LLM after "
                        + (attempts.failures + 1) + " attempts; last: " + problem
                        + " (check the server, or raise LlmClassifier.retries / LlmClassifier.timeout)");
            }
            attempts.failures++;
            // Retry-After is honoured up to 12 times the backoff cap (2 minutes by default): a longer wait would
            // hold the document past any sensible budget, and the retry budget still bounds the calls.
            Duration delay = wait != null ? min(wait, backoff.max().multipliedBy(12)) : backoff.delay(attempts.failures);
            LOG.warn("LLM call failed ({}); attempt {} of {} in {} ms", problem, attempts.failures + 1, retries + 1,
                    delay.toMillis());
            try {
                time.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClassificationException("interrupted", "interrupted while waiting to retry the LLM call");
            }
        }
    }

    /** One call's result: an answer, or a retryable problem with an optional server-given delay. */
    private record Result(String answer, String problem, Duration retryAfter) {}

    private Result send(Endpoint endpoint, ArrayNode messages) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody(messages)));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            endpoint.breaker.onFailure();
            return new Result(null, endpoint + ": " + e, null);
        } catch (InterruptedException e) {
            endpoint.breaker.onCancel();
            Thread.currentThread().interrupt();
            throw new ClassificationException("interrupted", "interrupted during the LLM call to " + endpoint);
        } finally {
            pool.release(endpoint);
        }
        int status = response.statusCode();
        if (status == 429) {
            endpoint.breaker.onSuccess();
            return new Result(null, endpoint + ": 429 too many requests",
                    retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
        }
        if (status >= 500) {
            endpoint.breaker.onFailure();
            return new Result(null, endpoint + ": HTTP " + status + " " + truncate(response.body()), null);
        }
        endpoint.breaker.onSuccess();
        if (status == 400 && api == Api.OPENAI && structuredOutput.get()
                && (response.body().contains("response_format") || response.body().contains("json_schema"))) {
            // Not every OpenAI-compatible server knows response_format; the prompt describes the answer too.
            if (structuredOutput.compareAndSet(true, false)) {
                LOG.warn("{} refused response_format (HTTP 400 {}); asking without structured output from now on",
                        endpoint, truncate(response.body()));
            }
            return resend(messages);
        }
        if (status != 200) {
            throw new ClassificationException(FailureReason.LLM_REJECTED.code(), endpoint + " refused the request: HTTP "
                    + status + " " + truncate(response.body()) + hint(status));
        }
        try {
            String content = api.content(JSON.readTree(response.body()));
            // A 200 whose body is not the API's shape is the model's problem to correct, not the transport's.
            return new Result(content == null ? response.body() : content, null, null);
        } catch (JsonProcessingException e) {
            return new Result(response.body(), null, null);
        }
    }

    /** The same request once more, on whichever endpoint the pool picks (the last one was released). */
    private Result resend(ArrayNode messages) {
        try {
            Endpoint again = pool.acquire(null);
            if (again == null) {
                return new Result(null, "every endpoint's circuit breaker is open " + endpoints(), null);
            }
            return send(again, messages);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClassificationException("interrupted", "interrupted while waiting for an LLM endpoint");
        }
    }

    private String hint(int status) {
        return switch (status) {
            case 401, 403 -> api == Api.OPENAI ? "; check OPENAI_API_KEY" : "; check the server's access settings";
            case 404 -> api == Api.OLLAMA ? "; is the model pulled ('ollama pull " + model + "') and the URL right?"
                    : "; check LlmClassifier.urls (the base URL, such as https://api.openai.com/v1) and LlmClassifier.model";
            default -> "";
        };
    }

    /** The parsed result, or a {@code String} saying what is wrong with the answer. */
    private Object parse(String answer) {
        JsonNode node;
        try {
            node = JSON.readTree(stripFence(answer));
        } catch (JsonProcessingException e) {
            return "not valid JSON";
        }
        if (node == null || !node.isObject()) {
            return "not a JSON object";
        }
        JsonNode label = node.get("label");
        if (label == null || !label.isTextual() || !taxonomy.labelNames().contains(label.asText())) {
            return "\"label\" " + (label == null ? "is missing" : label + " is not one of the labels");
        }
        JsonNode confidence = node.get("confidence");
        double c = confidence != null && confidence.isNumber() ? confidence.asDouble() : Double.NaN;
        if (!(c >= 0 && c <= 1)) {
            return "\"confidence\" must be a number from 0 to 1, got " + confidence;
        }
        Outcome.Classified result = new Outcome.Classified(label.asText(), c, Map.of(label.asText(), c));
        JsonNode why = node.get("rationale");
        if (reasoning && why != null && why.isTextual() && !why.asText().isBlank()) {
            result = result.withRationale(truncate(why.asText().strip()));
        }
        return result;
    }

    /** Some models wrap JSON in a Markdown code fence even when asked not to. */
    private static String stripFence(String answer) {
        String s = answer.strip();
        if (s.startsWith("```")) {
            s = s.replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
        }
        return s;
    }

    private byte[] requestBody(ArrayNode messages) {
        try {
            ObjectNode body = api.body(JSON.createObjectNode(), model, messages, schema, keepAlive);
            if (!structuredOutput.get()) {
                body.remove("response_format");
            }
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serializes", e);
        }
    }

    private String userPrompt(ExtractedText text) {
        String body = text.text().length() > textBudget ? text.text().substring(0, textBudget) : text.text();
        StringBuilder s = new StringBuilder();
        if (text.title() != null && !text.title().isBlank()) {
            s.append("Title: ").append(text.title()).append('\n');
        }
        s.append("Media type: ").append(text.mediaType()).append('\n');
        if (text.pages() != null) {
            s.append("Pages: ").append(text.pages()).append('\n');
        }
        return s.append("\nText").append(body.length() < text.text().length() ? " (beginning)" : "").append(":\n")
                .append(body).toString();
    }

    static String systemPrompt(Taxonomy taxonomy, boolean reasoning) {
        StringBuilder s = new StringBuilder("You classify documents by their type. The types are:\n");
        for (LabelDefinition label : taxonomy.labels()) {
            s.append("- ").append(label.name()).append(": ").append(label.description()).append('\n');
        }
        s.append("- ").append(taxonomy.other()).append(": none of the above.\n\n")
                .append("Answer with a JSON object only: \"label\" (one of the types above), \"confidence\""
                        + " (a number from 0 to 1: how sure you are)");
        if (reasoning) {
            s.append(" and \"rationale\" (one short sentence saying why)");
        }
        return s.append('.').toString();
    }

    static ObjectNode schema(List<String> labels, boolean reasoning) {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode labelEnum = properties.putObject("label").put("type", "string").putArray("enum");
        labels.forEach(labelEnum::add);
        properties.putObject("confidence").put("type", "number");
        ArrayNode required = schema.putArray("required").add("label").add("confidence");
        if (reasoning) {
            properties.putObject("rationale").put("type", "string");
            required.add("rationale");
        }
        // OpenAI's strict mode requires this; Ollama accepts it.
        schema.put("additionalProperties", false);
        return schema;
    }

    /** Retry-After in seconds or as an HTTP date; {@code null} when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static String truncate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= MAX_RAW_ANSWER ? s : s.substring(0, MAX_RAW_ANSWER) + "… (" + s.length() + " chars)";
    }

    /**
     * Settings of an {@link LlmClassifier}; each method checks its value, {@link #build()} the whole.
     *
     * <p>Not thread-safe; build once.
     */
    public static final class Builder {
        private final Api api;
        private final Taxonomy taxonomy;
        private List<String> urls;
        private String model = "llama3.2:3b";
        private boolean reasoning;
        private int textBudget = 4000;
        private Duration timeout = Duration.ofSeconds(60);
        private int retries = 3;
        private int maxConcurrent = 4;
        private Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10));
        private Duration keepAlive = Duration.ofMinutes(30);
        private int breakerThreshold = 5;
        private Duration breakerOpenFor = Duration.ofSeconds(30);
        private String apiKey;
        private TimeSource time = TimeSource.system();

        private Builder(Api api, Taxonomy taxonomy) {
            this.api = api;
            this.taxonomy = Objects.requireNonNull(taxonomy, "taxonomy");
        }

        /** Base URLs of the servers, such as {@code http://gpu1:11434}; calls are balanced over them. */
        public Builder urls(List<String> baseUrls) {
            if (baseUrls == null || baseUrls.isEmpty() || baseUrls.stream().anyMatch(u -> u == null || u.isBlank())) {
                throw new ConfigurationException("LlmClassifier.urls", baseUrls, "LlmClassifier.urls needs at least"
                        + " one base URL such as http://127.0.0.1:11434, got " + baseUrls);
            }
            for (String url : baseUrls) {
                try {
                    api.chatUri(url);
                    if (URI.create(Api.withScheme(url)).getHost() == null) {
                        throw new IllegalArgumentException("no host");
                    }
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException("LlmClassifier.urls", url, "LlmClassifier.urls '" + url
                            + "' is not a URL like http://host:11434 (" + e.getMessage() + ")");
                }
            }
            this.urls = List.copyOf(baseUrls);
            return this;
        }

        /** The model name the server knows, such as {@code llama3.2:3b} or {@code gpt-4o-mini}. */
        public Builder model(String name) {
            if (name == null || name.isBlank()) {
                throw new ConfigurationException("LlmClassifier.model", name,
                        "LlmClassifier.model must name a model such as llama3.2:3b, got '" + name + "'");
            }
            this.model = name;
            return this;
        }

        /** Whether to ask for a short rationale with each label (longer answers, slower). */
        public Builder reasoning(boolean on) {
            this.reasoning = on;
            return this;
        }

        /** Characters of the document's text sent to the model (default 4,000). */
        public Builder textBudget(int chars) {
            if (chars < 100) {
                throw new ConfigurationException("LlmClassifier.textBudget", chars,
                        "LlmClassifier.textBudget must be >= 100 characters, got " + chars);
            }
            this.textBudget = chars;
            return this;
        }

        /** Time one request may take, answer included (default 60 s). */
        public Builder timeout(Duration perRequest) {
            if (perRequest == null || perRequest.isNegative() || perRequest.isZero()) {
                throw new ConfigurationException("LlmClassifier.timeout", perRequest,
                        "LlmClassifier.timeout must be > 0, got " + perRequest);
            }
            this.timeout = perRequest;
            return this;
        }

        /** Transport failures (connection errors, timeouts, 429, 5xx) retried per document (default 3). */
        public Builder retries(int count) {
            if (count < 0) {
                throw new ConfigurationException("LlmClassifier.retries", count,
                        "LlmClassifier.retries must be >= 0, got " + count);
            }
            this.retries = count;
            return this;
        }

        /** Requests in flight at once per endpoint (default 4). */
        public Builder maxConcurrent(int perEndpoint) {
            if (perEndpoint < 1) {
                throw new ConfigurationException("LlmClassifier.maxConcurrent", perEndpoint,
                        "LlmClassifier.maxConcurrent must be >= 1, got " + perEndpoint);
            }
            this.maxConcurrent = perEndpoint;
            return this;
        }

        /** First backoff and its cap; each retry doubles it, with full jitter (defaults 250 ms, 10 s). */
        public Builder backoff(Duration first, Duration max) {
            this.backoff = new Backoff(first, max);
            return this;
        }

        /** Failures in a row that open an endpoint's breaker, and how long it stays open (defaults 5, 30 s). */
        public Builder circuitBreaker(int failures, Duration openFor) {
            if (failures < 1 || openFor == null || openFor.isNegative()) {
                throw new ConfigurationException("circuit breaker needs failures >= 1 and a duration >= 0, got "
                        + failures + " and " + openFor);
            }
            this.breakerThreshold = failures;
            this.breakerOpenFor = openFor;
            return this;
        }

        /** How long Ollama keeps the model loaded after a call (default 30 min). */
        public Builder keepAlive(Duration duration) {
            if (duration == null || duration.isNegative()) {
                throw new ConfigurationException("keep-alive must be >= 0, got " + duration);
            }
            this.keepAlive = duration;
            return this;
        }

        /** The bearer token for OpenAI-compatible servers, or {@code null} for none; never logged. */
        public Builder apiKey(String key) {
            this.apiKey = key == null || key.isBlank() ? null : key;
            return this;
        }

        /** Where the waits between retries and the circuit breakers' clock come from; tests move it by hand. */
        Builder time(TimeSource source) {
            this.time = Objects.requireNonNull(source);
            return this;
        }

        public LlmClassifier build() {
            return new LlmClassifier(this);
        }
    }
}
