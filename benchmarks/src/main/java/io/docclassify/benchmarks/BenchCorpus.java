package io.docclassify.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where the benchmarks find the shared corpus: {@code -Ddocclassify.corpus=DIR}, else
 * {@code $DOCCLASSIFY_CORPUS}, else {@code ../shared/corpus} from the working directory (the repo root).
 */
final class BenchCorpus {

    private BenchCorpus() {}

    static Path root() {
        String configured = System.getProperty("docclassify.corpus", System.getenv("DOCCLASSIFY_CORPUS"));
        Path root = Path.of(configured != null ? configured : "../shared/corpus").toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("the benchmark corpus is not at " + root + "; run from the repository root"
                    + " with ../shared beside it, or pass -Ddocclassify.corpus=DIR (in the forked JVM: -jvmArgsAppend)");
        }
        return root;
    }

    /** The papers corpus: 138 real PDFs, 2,323 pages. */
    static Path papers() {
        return root().resolve("throughput_pdfs_papers_we_love/docs");
    }

    /** The regular files under {@code dir} whose extension is one of {@code extensions} (all when empty), sorted. */
    static List<Path> files(Path dir, Set<String> extensions) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> extensions.isEmpty() || extensions.contains(extension(p)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the benchmark corpus at " + dir, e);
        }
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
