package io.docclassify;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One document a source hands to an engine: where it is, and what it should be if a manifest says.
 *
 * @param path the file, as the source found it (relative paths stay relative)
 * @param root the input root the file was found under, or {@code null} for a file named explicitly;
 *     a symbolic link that leads out of the root is refused unless the source allows it
 * @param expectedLabel the label a manifest gives the document, or {@code null}
 * @param followLinksOutOfRoot whether a link out of {@code root} may be followed
 */
public record DocumentRef(Path path, Path root, String expectedLabel, boolean followLinksOutOfRoot) {

    public DocumentRef {
        Objects.requireNonNull(path, "path");
    }

    /** A file named explicitly, with no root and no expected label. */
    public static DocumentRef of(Path path) {
        return new DocumentRef(path, null, null, true);
    }

    /** The label a manifest gives the document, if any. */
    public Optional<String> label() {
        return Optional.ofNullable(expectedLabel);
    }
}
