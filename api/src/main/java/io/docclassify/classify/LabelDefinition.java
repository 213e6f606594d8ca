package io.docclassify.classify;

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
 */
public record LabelDefinition(String name, String description, Map<String, Double> keywords, List<String> mediaTypes) {

    public LabelDefinition {
        if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
            throw new ConfigurationException(
                    "label name must be lower-case letters, digits and '_' starting with a letter, got '" + name + "'");
        }
        description = description == null ? "" : description;
        keywords = keywords == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(keywords));
        for (Map.Entry<String, Double> keyword : keywords.entrySet()) {
            Double weight = keyword.getValue();
            if (keyword.getKey() == null || keyword.getKey().isBlank()) {
                throw new ConfigurationException("label '" + name + "' has a blank keyword; remove it");
            }
            if (weight == null || !(weight > 0) || weight.isInfinite()) {
                throw new ConfigurationException("label '" + name + "': keyword '" + keyword.getKey()
                        + "' must have a weight > 0, got " + weight);
            }
        }
        mediaTypes = mediaTypes == null ? List.of() : List.copyOf(mediaTypes);
    }
}
