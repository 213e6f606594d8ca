package io.docclassify.classify;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.docclassify.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The document types a run can assign, and when to fall back to {@code other}.
 *
 * <p>Read from YAML or JSON (see the README for the format) or taken from {@link #builtIn()}.
 *
 * @param labels the document types, at least one
 * @param other the label given when no type is likely enough
 * @param minConfidence below this confidence the label is {@code other}, in [0, 1)
 * @param minScore below this raw keyword score the label is {@code other}, >= 0
 */
public record Taxonomy(List<LabelDefinition> labels, String other, double minConfidence, double minScore) {

    private static final String BUILT_IN = "taxonomy.yaml";

    public Taxonomy {
        if (labels == null || labels.isEmpty()) {
            throw new ConfigurationException("a taxonomy needs at least one label under 'labels'");
        }
        labels = List.copyOf(labels);
        other = other == null ? "other" : other;
        Set<String> names = new HashSet<>();
        for (LabelDefinition label : labels) {
            if (!names.add(label.name())) {
                throw new ConfigurationException("label '" + label.name() + "' is defined twice; merge the two entries");
            }
        }
        if (names.contains(other)) {
            throw new ConfigurationException("the fallback label '" + other
                    + "' is also defined under 'labels'; remove it there, the fallback needs no keywords");
        }
        if (!(minConfidence >= 0 && minConfidence < 1)) {
            throw new ConfigurationException("minConfidence must be in [0, 1), got " + minConfidence);
        }
        if (!(minScore >= 0) || Double.isInfinite(minScore)) {
            throw new ConfigurationException("minScore must be >= 0, got " + minScore);
        }
    }

    /** Default for {@link #minConfidence()} when a file leaves it out. */
    public static final double DEFAULT_MIN_CONFIDENCE = 0.25;
    /** Default for {@link #minScore()} when a file leaves it out. */
    public static final double DEFAULT_MIN_SCORE = 1.0;

    /** Reads a taxonomy file's fields, filling in the defaults for those left out. */
    @JsonCreator
    static Taxonomy fromFile(
            @JsonProperty("labels") List<LabelDefinition> labels,
            @JsonProperty("other") String other,
            @JsonProperty("minConfidence") Double minConfidence,
            @JsonProperty("minScore") Double minScore) {
        return new Taxonomy(labels, other,
                minConfidence == null ? DEFAULT_MIN_CONFIDENCE : minConfidence,
                minScore == null ? DEFAULT_MIN_SCORE : minScore);
    }

    /** The labels a document can get, the fallback included, in taxonomy order. */
    public List<String> labelNames() {
        List<String> names = new ArrayList<>(labels.size() + 1);
        labels.forEach(label -> names.add(label.name()));
        names.add(other);
        return List.copyOf(names);
    }

    /** The built-in taxonomy of common business document types (immutable, read once per JVM). */
    public static Taxonomy builtIn() {
        return BuiltIn.TAXONOMY;
    }

    private static final class BuiltIn {
        static final Taxonomy TAXONOMY = readBuiltIn();
    }

    private static Taxonomy readBuiltIn() {
        return BuiltInResources.read(mapper(new YAMLMapper()), BUILT_IN, new TypeReference<>() {}, "built-in taxonomy");
    }

    /**
     * Reads a taxonomy from a {@code .yaml}, {@code .yml} or {@code .json} file.
     *
     * @throws ConfigurationException when the file is missing or malformed; the message names the file and the problem
     */
    public static Taxonomy load(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper;
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            mapper = mapper(new YAMLMapper());
        } else if (name.endsWith(".json")) {
            mapper = mapper(new JsonMapper());
        } else {
            throw new ConfigurationException("taxonomy file " + file + " must end in .yaml, .yml or .json");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException("taxonomy file " + file + " does not exist or is not a file");
        }
        Taxonomy taxonomy;
        try {
            taxonomy = mapper.readValue(file.toFile(), Taxonomy.class);
        } catch (ConfigurationException e) {
            throw new ConfigurationException("taxonomy file " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof ConfigurationException c ? c : e;
            throw new ConfigurationException("taxonomy file " + file + " is invalid: " + cause.getMessage(), e);
        }
        taxonomy.checkDiscriminates(file);
        return taxonomy.withExamplesResolved(file);
    }

    /**
     * Refuses a file that cannot tell documents apart: one label (every document would get it, at confidence 1.0)
     * or a label with nothing to recognise it by. Built-in and programmatic taxonomies are not checked here.
     */
    private void checkDiscriminates(Path file) {
        if (labels.size() < 2) {
            throw new ConfigurationException("taxonomy file " + file + " defines one label ('" + labels.getFirst().name()
                    + "'), so every document would get it; define at least two labels under 'labels' (the fallback '"
                    + other + "' does not count)");
        }
        for (LabelDefinition label : labels) {
            if (label.description().isBlank() && label.keywords().isEmpty() && label.examples().isEmpty()
                    && label.mediaTypes().isEmpty()) {
                throw new ConfigurationException("taxonomy file " + file + ": label '" + label.name()
                        + "' has no description, keywords, media types or examples, so nothing tells it apart;"
                        + " give it a description (what such a document is) or keywords");
            }
        }
    }

    /** Resolves each label's example paths against the file's folder and checks that every one is a file. */
    private Taxonomy withExamplesResolved(Path file) {
        Path folder = file.toAbsolutePath().getParent();
        List<LabelDefinition> resolved = new ArrayList<>(labels.size());
        for (LabelDefinition label : labels) {
            List<String> examples = new ArrayList<>(label.examples().size());
            for (String example : label.examples()) {
                Path path = folder.resolve(example).normalize();
                if (!Files.isRegularFile(path)) {
                    throw new ConfigurationException("taxonomy file " + file + ": label '" + label.name() + "': example file " + path
                            + " does not exist or is not a file (example paths are relative to the taxonomy file)");
                }
                examples.add(path.toString());
            }
            resolved.add(label.withExamples(examples));
        }
        return new Taxonomy(resolved, other, minConfidence, minScore);
    }

    private static ObjectMapper mapper(ObjectMapper mapper) {
        return mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
