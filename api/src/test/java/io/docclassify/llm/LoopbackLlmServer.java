package io.docclassify.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP server on loopback speaking the parts of Ollama's {@code /api/chat} and OpenAI's
 * {@code /v1/chat/completions} that {@link LlmClassifier} calls, with the request and response shapes
 * of their API documentation, and faults on demand.
 *
 * <p>A request that does not have the documented shape (model, messages, {@code stream:false},
 * {@code format} or {@code response_format} schema, temperature 0) is answered with 400 and counted
 * in {@link #malformedRequests()}, so tests notice when the client drifts from the APIs.
 */
public final class LoopbackLlmServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the server does with one request. */
    public sealed interface Reply {
        /** A well-formed answer naming {@code label}. */
        record Answer(String label, double confidence) implements Reply {}
        /** An answer whose content is this raw text (malformed JSON, unknown label, ...). */
        record Raw(String content) implements Reply {}
        /** An HTTP error status, with a Retry-After header when {@code retryAfter} is not null. */
        record Status(int code, String retryAfter) implements Reply {}
        /** The answer after a delay (a slow model). */
        record Slow(long millis, Reply then) implements Reply {}
        /** The connection closed without a response. */
        record Drop() implements Reply {}
    }

    /** One request as received. */
    public record Call(String path, String authorization, JsonNode body, String userText) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger malformed = new AtomicInteger();
    private final List<Call> received = Collections.synchronizedList(new ArrayList<>());
    private volatile Function<Call, Reply> behaviour;
    private volatile boolean structuredOutput = true;

    /** A server whose replies {@code behaviour} decides per call (called on the server's threads). */
    public LoopbackLlmServer(Function<Call, Reply> behaviour) throws IOException {
        this(InetAddress.getLoopbackAddress(), behaviour);
    }

    /** The same server on {@code address} (a test network's address, say) instead of loopback. */
    public LoopbackLlmServer(InetAddress address, Function<Call, Reply> behaviour) throws IOException {
        this.behaviour = behaviour;
        server = HttpServer.create(new InetSocketAddress(address, 0), 200);
        server.createContext("/api/chat", exchange -> handle(exchange, false));
        server.createContext("/v1/chat/completions", exchange -> handle(exchange, true));
        server.setExecutor(executor);
        server.start();
    }

    /** {@code http://ADDRESS:PORT}, {@code http://127.0.0.1:PORT} on loopback. */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    public void behaviour(Function<Call, Reply> replies) {
        this.behaviour = replies;
    }

    /** Whether the OpenAI side accepts {@code response_format}; without, it refuses it as older servers do. */
    public void structuredOutput(boolean supported) {
        this.structuredOutput = supported;
    }

    public int calls() {
        return calls.get();
    }

    public int malformedRequests() {
        return malformed.get();
    }

    public List<Call> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private void handle(HttpExchange exchange, boolean openAi) throws IOException {
        calls.incrementAndGet();
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            if (openAi && !structuredOutput && body.has("response_format")) {
                send(exchange, 400, JSON.createObjectNode().put("error", "response_format is not supported"));
                return;
            }
            String problem = openAi ? (structuredOutput ? checkOpenAi(body) : checkOpenAiPlain(body)) : checkOllama(body);
            if (problem != null || !"POST".equals(exchange.getRequestMethod())) {
                malformed.incrementAndGet();
                send(exchange, 400, JSON.createObjectNode().put("error", String.valueOf(problem)));
                return;
            }
            JsonNode messages = body.get("messages");
            String userText = messages.get(1).path("content").asText();
            Call call = new Call(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), body, userText);
            received.add(call);
            reply(exchange, behaviour.apply(call), openAi, body.path("model").asText());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reply(HttpExchange exchange, Reply reply, boolean openAi, String model)
            throws IOException, InterruptedException {
        switch (reply) {
            case Reply.Answer a -> send(exchange, 200, answer(openAi, model,
                    JSON.createObjectNode().put("label", a.label()).put("confidence", a.confidence()).toString()));
            case Reply.Raw r -> send(exchange, 200, answer(openAi, model, r.content()));
            case Reply.Status s -> {
                if (s.retryAfter() != null) {
                    exchange.getResponseHeaders().set("Retry-After", s.retryAfter());
                }
                send(exchange, s.code(), JSON.createObjectNode().put("error", "injected " + s.code()));
            }
            case Reply.Slow s -> {
                Thread.sleep(s.millis());
                reply(exchange, s.then(), openAi, model);
            }
            // The JDK server closes the connection without a response when a handler throws.
            case Reply.Drop d -> throw new IOException("dropping the connection on purpose");
        }
    }

    /** The response body of each API around the answer text, as their documentation shows it. */
    private static ObjectNode answer(boolean openAi, String model, String content) {
        ObjectNode root = JSON.createObjectNode();
        if (openAi) {
            root.put("id", "chatcmpl-loopback").put("object", "chat.completion")
                    .put("created", Instant.now().getEpochSecond()).put("model", model);
            ObjectNode choice = root.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", content);
            choice.put("finish_reason", "stop");
            root.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 10).put("total_tokens", 110);
        } else {
            root.put("model", model).put("created_at", Instant.now().toString());
            root.putObject("message").put("role", "assistant").put("content", content);
            root.put("done_reason", "stop").put("done", true).put("total_duration", 1_000_000)
                    .put("eval_count", 10);
        }
        return root;
    }

    private static String checkCommon(JsonNode body, JsonNode schema) {
        if (!body.path("model").isTextual()) {
            return "model missing";
        }
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.size() < 2) {
            return "messages must hold a system and a user message";
        }
        for (JsonNode m : messages) {
            if (!m.path("role").isTextual() || !m.path("content").isTextual()) {
                return "each message needs role and content";
            }
        }
        if (!"object".equals(schema.path("type").asText()) || !schema.path("properties").path("label").path("enum").isArray()) {
            return "schema must be an object schema with a label enum";
        }
        return null;
    }

    private static String checkOllama(JsonNode body) {
        if (!body.path("stream").isBoolean() || body.path("stream").asBoolean()) {
            return "stream must be false";
        }
        if (body.path("options").path("temperature").asDouble(-1) != 0) {
            return "options.temperature must be 0";
        }
        if (!body.path("keep_alive").isTextual()) {
            return "keep_alive missing";
        }
        return checkCommon(body, body.path("format"));
    }

    private static String checkOpenAi(JsonNode body) {
        JsonNode format = body.path("response_format");
        if (!"json_schema".equals(format.path("type").asText()) || !format.path("json_schema").path("name").isTextual()) {
            return "response_format must be {type: json_schema, json_schema: {name, schema}}";
        }
        if (body.path("temperature").asDouble(-1) != 0) {
            return "temperature must be 0";
        }
        return checkCommon(body, format.path("json_schema").path("schema"));
    }

    /** A server without structured output: the answer's shape is only in the prompt. */
    private static String checkOpenAiPlain(JsonNode body) {
        if (!body.path("model").isTextual() || !body.path("messages").isArray() || body.path("messages").size() < 2) {
            return "model and messages required";
        }
        return null;
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
