package io.docclassify.classify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the JSON and YAML files that ship in the jar beside this package's classes (models, taxonomy, exemplars). */
final class BuiltInResources {

    private BuiltInResources() {}

    /**
     * The resource {@code name} read by {@code mapper} as {@code type}; {@code what} names it in the error a
     * broken jar gives.
     */
    static <T> T read(ObjectMapper mapper, String name, TypeReference<T> type, String what) {
        try (InputStream in = BuiltInResources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(what + " " + name + " is missing from the jar");
            }
            return mapper.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException(what + " " + name + " is unreadable", e);
        }
    }
}
