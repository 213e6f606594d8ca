package io.docclassify.classify;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.docclassify.ConfigurationException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One document type of a taxonomy: its name, what it means, and the evidence that points to it.
 *
 * @param name the label written to results, lower-case, such as {@code invoice}
 * @param description what the type is, for people and for classifiers that read descriptions
 * @param keywords words or phrases (case-insensitive) with their weights (> 0)
 * @param mediaTypes media types that by themselves point to this type (such as {@code message/rfc822})
 * @param examples example documents of this type, for classifiers that learn from examples (the
 *     embedding classifier); paths, relative to the taxonomy file in a file, resolved by {@link
 *     Taxonomy#load}; empty when there are none
 */
public record LabelDefinition(
        String name, String description, Map<String, Double> keywords, List<String> mediaTypes, List<String> examples) {

    @JsonCreator
    public LabelDefinition(
            @JsonProperty("name") String name,
            @JsonProperty("description") String description,
            @JsonProperty("keywords") Map<String, Double> keywords,
            @JsonProperty("mediaTypes") List<String> mediaTypes,
            @JsonProperty("examples") List<String> examples) {
        if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
            throw new ConfigurationException(
                    "label name must be lower-case letters, digits and '_' starting with a letter, got '" + name + "'");
        }
        this.name = name;
        this.description = description == null ? "" : description;
        this.keywords = keywords == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(keywords));
        for (Map.Entry<String, Double> keyword : this.keywords.entrySet()) {
            Double weight = keyword.getValue();
            if (keyword.getKey() == null || keyword.getKey().isBlank()) {
                throw new ConfigurationException("label '" + name + "' has a blank keyword; remove it");
            }
            if (weight == null || !(weight > 0) || weight.isInfinite()) {
                throw new ConfigurationException("label '" + name + "': keyword '" + keyword.getKey()
                        + "' must have a weight > 0, got " + weight);
            }
        }
        this.mediaTypes = mediaTypes == null ? List.of() : List.copyOf(mediaTypes);
        if (examples != null && examples.stream().anyMatch(e -> e == null || e.isBlank())) {
            throw new ConfigurationException("label '" + name + "' has a blank entry under 'examples'; remove it");
        }
        this.examples = examples == null ? List.of() : List.copyOf(examples);
    }

    /** A label without example documents. */
    public LabelDefinition(String name, String description, Map<String, Double> keywords, List<String> mediaTypes) {
        this(name, description, keywords, mediaTypes, null);
    }

    /** This label with other example documents. */
    public LabelDefinition withExamples(List<String> examples) {
        return new LabelDefinition(name, description, keywords, mediaTypes, examples);
    }
}
