package io.docclassify.benchmarks;

import io.docclassify.Outcome;
import io.docclassify.classify.LinearClassifier;
import io.docclassify.spi.ExtractedText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The linear classifier's throughput on real news articles, over both cores, against a baseline
 * that only lower-cases the text.
 *
 * <p>Workload: a model trained (default settings) on every other BBC news article of the shared
 * corpus ({@code ../shared/corpus/bbc_news}, or {@code -Ddocclassify.corpus=DIR}); the other half,
 * 1,112 articles of 2,200 characters on average, is classified in turn. Measured: {@code classify}
 * calls per second summed over 2 threads ({@code @Threads(2)}), each thread walking the articles
 * from its own position. {@code features} picks what the model reads: {@code words} (hashed words),
 * or {@code words+embedding} (the words plus MiniLM sentence features, which embeds each article's
 * first windows at classification; its set-up embeds the training half first, about a minute).
 * Run: {@code java --enable-native-access=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar LinearClassifierBenchmark -f 1 -wi 2 -i 3}
 * (one set: {@code -p features=words}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(2)
public class LinearClassifierBenchmark {

    @Param({"words", "words+embedding"})
    public String features;

    private LinearClassifier classifier;
    private ExtractedText[] texts;

    /** Each thread's position among the texts. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        @Setup
        public void setUp() {
            next = (int) (Thread.currentThread().threadId() % 997);
        }
    }

    @Setup
    public void setUp() throws IOException {
        Path corpus = Path.of(System.getProperty("docclassify.corpus", "../shared/corpus"), "bbc_news", "docs");
        List<Path> files;
        try (Stream<Path> all = Files.walk(corpus)) {
            files = all.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("the BBC articles are missing at " + corpus.toAbsolutePath()
                    + "; run from the checkout beside ../shared/corpus or pass -Ddocclassify.corpus=DIR", e);
        }
        List<LinearClassifier.Example> train = new ArrayList<>();
        List<ExtractedText> test = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String text = new String(Files.readAllBytes(files.get(i)), StandardCharsets.UTF_8);
            if (i % 2 == 0) {
                train.add(LinearClassifier.Example.of(files.get(i).getParent().getFileName().toString(), text));
            } else {
                test.add(ExtractedText.ofText(text));
            }
        }
        classifier = LinearClassifier.train(train,
                LinearClassifier.Settings.defaults().withFeatures(LinearClassifier.Features.named(features)));
        texts = test.toArray(ExtractedText[]::new);
    }

    private ExtractedText next(Cursor cursor) {
        ExtractedText text = texts[cursor.next];
        cursor.next = cursor.next + 1 == texts.length ? 0 : cursor.next + 1;
        return text;
    }

    /** Baseline: one pass over the text that any classifier must at least make. */
    @Benchmark
    public String baselineLowerCase(Cursor cursor) {
        return next(cursor).text().toLowerCase(Locale.ROOT);
    }

    @Benchmark
    public Outcome.Classified classify(Cursor cursor) {
        return classifier.classify(next(cursor));
    }
}
