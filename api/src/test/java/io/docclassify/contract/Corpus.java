package io.docclassify.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The shared corpus of real documents beside the checkout ({@code ../shared/corpus}); see its SOURCES.md. */
public final class Corpus {

    private Corpus() {}

    /** The corpus folder: the {@code docclassify.corpus} system property, which the build sets. */
    public static Path root() {
        Path root = Path.of(System.getProperty("docclassify.corpus", "../../shared/corpus"));
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("the shared corpus is missing at " + root.toAbsolutePath()
                    + "; tests need ../shared/corpus beside the checkout (or -Ddocclassify.corpus=DIR)");
        }
        return root;
    }

    /** A file of the corpus, which must exist. */
    public static Path file(String relative) {
        Path file = root().resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("corpus file " + file + " is missing");
        }
        return file;
    }

    /** The first {@code n} PDFs of the papers set, in name order. */
    public static List<Path> papers(int n) {
        try (Stream<Path> files = Files.list(root().resolve("throughput_pdfs_papers_we_love/docs/distributed_systems"))) {
            return files.filter(p -> p.toString().endsWith(".pdf")).sorted().limit(n).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
