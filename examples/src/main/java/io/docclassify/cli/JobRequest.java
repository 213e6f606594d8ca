package io.docclassify.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a client asks of a job, checked: the inputs and manifest as real paths under the service's roots, the
 * classifier variant, an optional callback, and whether it continues an earlier job.
 *
 * @param inputs files and folders, real paths under a root
 * @param manifest a CSV listing documents, or {@code null}
 * @param variant the classifier and text budget the job runs with
 * @param callback where the final status is posted, or {@code null}
 * @param resume whether the job continues the newest stopped or failed job over the same inputs
 */
record JobRequest(List<Path> inputs, Path manifest, ClassifierVariants.Variant variant, URI callback, boolean resume) {

    private static final Set<String> FIELDS = Set.of("inputs", "manifest", "options", "callback", "resume");
    private static final Set<String> OPTIONS = Set.of("classifier", "textBudget");

    JobRequest {
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(variant, "variant");
        if (inputs.isEmpty() && manifest == null) {
            throw new ServiceError(400, "a job needs \"inputs\" (files or folders) or a \"manifest\"");
        }
    }

    /** Reads a client's request; paths are confined to {@code roots} and callbacks to what {@code callbacks} allow. */
    static JobRequest parse(JsonNode body, Roots roots, Callbacks callbacks) {
        if (body == null || !body.isObject()) {
            throw new ServiceError(400, "the body must be a JSON object such as {\"inputs\": [\"folder\"]}");
        }
        unknown(body, FIELDS, "field");
        List<Path> inputs = new ArrayList<>();
        JsonNode given = body.path("inputs");
        if (!given.isMissingNode() && !given.isArray()) {
            throw new ServiceError(400, "\"inputs\" must be an array of paths, got " + given);
        }
        for (JsonNode input : given) {
            if (!input.isTextual()) {
                throw new ServiceError(400, "\"inputs\" must hold paths as strings, got " + input);
            }
            inputs.add(roots.confine(input.asText(), "input"));
        }
        Path manifest = body.hasNonNull("manifest") ? roots.confineManifest(text(body, "manifest")) : null;
        JsonNode options = body.path("options");
        if (!options.isMissingNode() && !options.isObject()) {
            throw new ServiceError(400, "\"options\" must be an object such as {\"classifier\": \"rules\"}");
        }
        unknown(options, OPTIONS, "option");
        Integer textBudget = null;
        if (options.has("textBudget")) {
            if (!options.get("textBudget").canConvertToInt() || options.get("textBudget").asInt() < 1) {
                throw new ServiceError(400, "option textBudget must be a positive number of characters, got "
                        + options.get("textBudget"));
            }
            textBudget = options.get("textBudget").asInt();
        }
        String classifier = options.hasNonNull("classifier") ? text(options, "classifier") : null;
        URI callback = null;
        if (body.hasNonNull("callback")) {
            try {
                callback = new URI(text(body, "callback"));
            } catch (URISyntaxException e) {
                throw new ServiceError(400, "\"callback\" is not a URL: " + e.getMessage());
            }
            callbacks.check(callback);
        }
        JsonNode resume = body.path("resume");
        if (!resume.isMissingNode() && !resume.isBoolean()) {
            throw new ServiceError(400, "\"resume\" must be true or false, got " + resume);
        }
        return new JobRequest(inputs, manifest, new ClassifierVariants.Variant(classifier, textBudget), callback,
                resume.asBoolean(false));
    }

    /** The request as stored: the same fields a client sends, with the paths made real. */
    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ArrayNode paths = json.putArray("inputs");
        inputs.forEach(input -> paths.add(input.toString()));
        if (manifest != null) {
            json.put("manifest", manifest.toString());
        }
        ObjectNode options = json.putObject("options");
        if (variant.classifier() != null) {
            options.put("classifier", variant.classifier());
        }
        if (variant.textBudget() != null) {
            options.put("textBudget", variant.textBudget());
        }
        if (callback != null) {
            json.put("callback", callback.toString());
        }
        json.put("resume", resume);
        return json;
    }

    /** A stored request, read back after a restart, without checking it against today's roots again. */
    static JobRequest fromStored(JsonNode json) {
        List<Path> inputs = new ArrayList<>();
        json.path("inputs").forEach(input -> inputs.add(Path.of(input.asText())));
        JsonNode options = json.path("options");
        return new JobRequest(inputs, json.hasNonNull("manifest") ? Path.of(json.get("manifest").asText()) : null,
                new ClassifierVariants.Variant(options.hasNonNull("classifier") ? options.get("classifier").asText() : null,
                        options.hasNonNull("textBudget") ? options.get("textBudget").asInt() : null),
                json.hasNonNull("callback") ? URI.create(json.get("callback").asText()) : null,
                json.path("resume").asBoolean(false));
    }

    /** Whether {@code other} reads the same documents, so that a job of this request may continue it. */
    boolean sameDocumentsAs(JobRequest other) {
        return inputs.equals(other.inputs) && Objects.equals(manifest, other.manifest);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            throw new ServiceError(400, "\"" + field + "\" must be a string, got " + value);
        }
        return value.asText();
    }

    private static void unknown(JsonNode node, Set<String> known, String what) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ServiceError(400, "unknown " + what + " \"" + name + "\"; known: " + known.stream().sorted().toList());
            }
        }
    }
}
