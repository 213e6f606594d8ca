package io.docclassify.hazelcast;

import io.docclassify.DocumentRef;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One document of a chunk as it travels to a member: its path on shared storage, or its bytes.
 *
 * @param path the path as the source gave it, also the path its record carries
 * @param root the input root, or {@code null}
 * @param followLinks whether a link out of the root may be followed
 * @param content the file's bytes when the submitter ships them ({@code --ship-content}), else {@code null}
 */
record DocumentEntry(String path, String root, boolean followLinks, byte[] content) {

    DocumentEntry {
        Objects.requireNonNull(path, "path");
    }

    static DocumentEntry of(DocumentRef ref, byte[] content) {
        return new DocumentEntry(ref.path().toString(), ref.root() == null ? null : ref.root().toString(),
                ref.followLinksOutOfRoot(), content);
    }

    DocumentRef ref() {
        return new DocumentRef(Path.of(path), root == null ? null : Path.of(root), null, followLinks);
    }
}
