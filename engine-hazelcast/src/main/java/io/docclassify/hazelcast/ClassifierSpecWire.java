package io.docclassify.hazelcast;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docclassify.classify.ClassifierSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/*
 * The one wire form of a ClassifierSpec: a JSON object in a single Compact string field of the
 * PipelineSpec. A Compact schema has a fixed set of fields per type, while a spec nests (a cascade
 * holds two specs), so the spec travels as one self-describing text; writing is an exhaustive switch
 * over the sealed cases, so a new classifier does not compile until it is written here, and
 * ClassifierNamesTest fails until it is read back. No field holds an API key: an LLM spec carries the
 * key's environment variable or file name, and each member reads the key itself.
 */
final class ClassifierSpecWire {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ClassifierSpecWire() {}

    static String write(ClassifierSpec spec) {
        return tree(spec).toString();
    }

    static ClassifierSpec read(String text) {
        try {
            return spec(JSON.readTree(text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a pipeline spec's classifier is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectNode tree(ClassifierSpec spec) {
        ObjectNode node = JSON.createObjectNode().put("name", spec.name());
        switch (spec) {
            case ClassifierSpec.Rules rules -> putPath(node, "taxonomy", rules.taxonomy());
            case ClassifierSpec.Embedding embedding -> {
                putPath(node, "taxonomy", embedding.taxonomy());
                node.put("vectors", embedding.vectors());
            }
            case ClassifierSpec.Linear linear -> putPath(node, "model", linear.model());
            case ClassifierSpec.Llm llm -> {
                putPath(node, "taxonomy", llm.taxonomy());
                llm.urls().forEach(node.putArray("urls")::add);
                node.put("model", llm.model()).put("reasoning", llm.reasoning());
                if (llm.timeout() != null) {
                    node.put("timeoutMs", llm.timeout().toMillis());
                }
                node.put("maxConcurrent", llm.maxConcurrent()).put("retries", llm.retries())
                        .put("textBudget", llm.textBudget()).put("apiKeyVariable", llm.apiKeyVariable());
                putPath(node, "apiKeyFile", llm.apiKeyFile());
            }
            case ClassifierSpec.Cascade cascade -> {
                node.set("first", tree(cascade.first()));
                node.set("second", tree(cascade.second()));
                node.put("escalateBelow", cascade.escalateBelow());
            }
        }
        return node;
    }

    private static ClassifierSpec spec(JsonNode node) {
        String name = node.path("name").asText();
        return switch (name) {
            case "rules" -> new ClassifierSpec.Rules(path(node, "taxonomy"));
            case "embedding" -> new ClassifierSpec.Embedding(path(node, "taxonomy"), node.path("vectors").asBoolean());
            case "linear" -> new ClassifierSpec.Linear(path(node, "model"));
            case "ollama", "openai" -> {
                List<String> urls = new ArrayList<>();
                node.path("urls").forEach(url -> urls.add(url.asText()));
                yield new ClassifierSpec.Llm(ClassifierSpec.LlmApi.named(name), path(node, "taxonomy"), urls,
                        node.path("model").asText(), node.path("reasoning").asBoolean(),
                        node.hasNonNull("timeoutMs") ? Duration.ofMillis(node.get("timeoutMs").asLong()) : null,
                        integer(node, "maxConcurrent"), integer(node, "retries"), integer(node, "textBudget"),
                        node.hasNonNull("apiKeyVariable") ? node.get("apiKeyVariable").asText() : null,
                        path(node, "apiKeyFile"));
            }
            case "cascade" -> new ClassifierSpec.Cascade(spec(node.path("first")), spec(node.path("second")),
                    node.path("escalateBelow").asDouble());
            default -> throw new IllegalStateException("a pipeline spec names classifier '" + name
                    + "', which this member does not know (known: " + ClassifierSpec.NAMES
                    + "); run the same doc-classify version on every member and the submitter");
        };
    }

    private static void putPath(ObjectNode node, String field, Path path) {
        node.put(field, path == null ? null : path.toString());
    }

    private static Path path(JsonNode node, String field) {
        return node.hasNonNull(field) ? Path.of(node.get(field).asText()) : null;
    }

    private static Integer integer(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asInt() : null;
    }
}
