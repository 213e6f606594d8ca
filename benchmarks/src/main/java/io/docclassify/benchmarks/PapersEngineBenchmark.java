package io.docclassify.benchmarks;

import io.docclassify.DocumentClassifier;
import io.docclassify.classify.EmbeddingClassifier;
import io.docclassify.classify.Taxonomy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Engines on CPU-bound work: the {@code async} engine (50 in flight, 2 CPU permits) against the
 * {@code local} engine with 2 workers (the baseline), both with the default embedding classifier.
 *
 * <p>Workload: the 138 real PDFs of {@code throughput_pdfs_papers_we_love/docs} in the shared corpus
 * (extraction stops at the 5,000-character text budget), MiniLM embedding classifier, JSON Lines
 * sink. Measured: {@code documents} = documents recorded per second over whole runs.
 * Run (from the checkout, beside {@code ../shared/corpus}): {@code java --enable-native-access=ALL-UNNAMED
 * -jar benchmarks/target/benchmarks.jar PapersEngineBenchmark -f 1 -wi 1 -i 3 -r 15}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 15)
@Measurement(iterations = 3, time = 15)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PapersEngineBenchmark {

    @Param({"async", "local"})
    String engine;

    private Path papers;
    private Path output;
    private DocumentClassifier classifier;

    /** Documents recorded, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Recorded {
        public long documents;
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        papers = EngineRuns.corpus("throughput_pdfs_papers_we_love/docs");
        output = Files.createTempFile("docclassify-bench", ".jsonl");
        classifier = DocumentClassifier.builder().engine(engine).workers(2).cpuPermits(2).maxConcurrent(50)
                .classifier(new EmbeddingClassifier(Taxonomy.builtIn())).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        classifier.close();
        Files.deleteIfExists(output);
    }

    @Benchmark
    public long run(Recorded recorded) throws IOException, InterruptedException {
        long done = EngineRuns.run(classifier, EngineRuns.directory(papers), output).documents();
        recorded.documents += done;
        return done;
    }
}
