package io.docclassify.benchmarks;

import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.sink.JsonLinesSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JSON Lines sink alone: records per second.
 *
 * <p>Workload: classified records as the embedding classifier makes them (scores for 12 labels,
 * stage timings, a 384-number embedding that JSON Lines leaves out), 1,000 per operation, written by
 * one thread with the default batch of 100 and flushed, to a file in the temporary directory that
 * grows through the run. Measured: records per second (one op per record).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar JsonLinesSinkBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class JsonLinesSinkBenchmark {

    private static final int RECORDS = 1_000;

    private Path file;
    private JsonLinesSink sink;
    private Map<String, Double> scores;
    private float[] embedding;
    private long next;

    @Setup
    public void setUp() throws IOException {
        file = Files.createTempFile("docclassify-bench", ".jsonl");
        sink = JsonLinesSink.open(file, JsonLinesSink.Mode.OVERWRITE);
        scores = new java.util.LinkedHashMap<>();
        String[] labels = {"invoice", "receipt", "contract", "resume", "letter", "email", "form", "report",
                "scientific_paper", "news_article", "manual", "presentation"};
        for (int i = 0; i < labels.length; i++) {
            scores.put(labels[i], i == 0 ? 0.61 : 0.39 / (labels.length - 1));
        }
        embedding = new float[384];
    }

    @TearDown
    public void tearDown() throws IOException {
        sink.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public JsonLinesSink write() throws IOException {
        for (int i = 0; i < RECORDS; i++) {
            long id = next++;
            sink.accept(new DocumentRecord("/corpus/dir-" + (id % 100) + "/document-" + id + ".pdf",
                    String.format("%064x", id), 123_456L, "application/pdf", 12, 5_000,
                    new Outcome.Classified("invoice", 0.61, scores).withEmbedding(embedding),
                    "embedding@all-minilm-l6-v2-q/f443fdc7", Map.of("hash", 1L, "extract", 40L, "classify", 7L), 0));
        }
        sink.flush();
        return sink;
    }
}
