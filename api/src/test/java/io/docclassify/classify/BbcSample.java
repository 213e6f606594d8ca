package io.docclassify.classify;

import io.docclassify.contract.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** Real training texts: the first BBC news articles of each topic (see the corpus's SOURCES.md). */
final class BbcSample {

    static final List<String> TOPICS = List.of("business", "entertainment", "politics", "sport", "tech");

    private BbcSample() {}

    /**
     * {@code count} files of a topic, every tenth in name order from the {@code offset}-th: the files
     * come grouped by sub-topic (athletics first among sport), so a sample must spread.
     */
    static List<Path> files(String topic, int offset, int count) {
        try (Stream<Path> files = Files.list(Corpus.root().resolve("bbc_news/docs").resolve(topic))) {
            List<Path> sorted = files.sorted().toList();
            return IntStream.range(0, count).map(i -> offset + 10 * i).filter(i -> i < sorted.size())
                    .mapToObj(sorted::get).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code count} examples of every topic, as {@link #files} picks them. */
    static List<LinearClassifier.Example> examples(int offset, int count) {
        List<LinearClassifier.Example> examples = new ArrayList<>();
        for (String topic : TOPICS) {
            for (Path file : files(topic, offset, count)) {
                examples.add(LinearClassifier.Example.of(topic, read(file)));
            }
        }
        return examples;
    }

    static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
