package io.docclassify.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;

/**
 * The two chat APIs spoken: Ollama's {@code /api/chat} and the OpenAI-compatible
 * {@code /v1/chat/completions}. Each builds a request asking for a JSON answer that follows a
 * schema, and reads the answer's text out of a response.
 */
enum Api {

    /** Ollama: {@code format} holds the JSON schema, {@code options.temperature}, {@code keep_alive}, no streaming. */
    OLLAMA("ollama") {
        @Override
        URI chatUri(String base) {
            return URI.create(trimSlash(withScheme(base)) + "/api/chat");
        }

        @Override
        ObjectNode body(ObjectNode root, String model, ArrayNode messages, ObjectNode schema, Duration keepAlive) {
            root.put("model", model);
            root.set("messages", messages);
            root.put("stream", false);
            root.set("format", schema);
            root.putObject("options").put("temperature", 0);
            root.put("keep_alive", keepAlive.toSeconds() + "s");
            return root;
        }

        @Override
        String content(JsonNode response) {
            JsonNode content = response.path("message").path("content");
            return content.isTextual() ? content.asText() : null;
        }
    },

    /** OpenAI-compatible servers: {@code response_format} of type {@code json_schema}, strict. */
    OPENAI("openai") {
        @Override
        URI chatUri(String base) {
            String root = trimSlash(withScheme(base));
            // OPENAI_BASE_URL conventionally ends in /v1 (https://api.openai.com/v1); a bare host does not.
            return URI.create(root.endsWith("/v1") ? root + "/chat/completions" : root + "/v1/chat/completions");
        }

        @Override
        ObjectNode body(ObjectNode root, String model, ArrayNode messages, ObjectNode schema, Duration keepAlive) {
            root.put("model", model);
            root.set("messages", messages);
            root.put("temperature", 0);
            ObjectNode format = root.putObject("response_format");
            format.put("type", "json_schema");
            ObjectNode jsonSchema = format.putObject("json_schema");
            jsonSchema.put("name", "document_type");
            jsonSchema.put("strict", true);
            jsonSchema.set("schema", schema);
            return root;
        }

        @Override
        String content(JsonNode response) {
            JsonNode content = response.path("choices").path(0).path("message").path("content");
            return content.isTextual() ? content.asText() : null;
        }
    };

    final String id;

    Api(String id) {
        this.id = id;
    }

    /** The chat endpoint under a base URL such as {@code http://127.0.0.1:11434}. */
    abstract URI chatUri(String base);

    /** Fills {@code root} with the request. */
    abstract ObjectNode body(ObjectNode root, String model, ArrayNode messages, ObjectNode schema, Duration keepAlive);

    /** The answer's text, or {@code null} when the response has none where the API puts it. */
    abstract String content(JsonNode response);

    /** OLLAMA_HOST is often given as {@code host:port}, without a scheme. */
    static String withScheme(String base) {
        String b = base.trim();
        return b.startsWith("http://") || b.startsWith("https://") ? b : "http://" + b;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
