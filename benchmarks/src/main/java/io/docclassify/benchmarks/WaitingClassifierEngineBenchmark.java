package io.docclassify.benchmarks;

import io.docclassify.DocumentClassifier;
import io.docclassify.Outcome;
import io.docclassify.classify.RulesClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
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
 * Engines with a classifier that waits: the {@code async} engine with 50 documents in flight against
 * the {@code local} engine with 2 worker threads (the baseline).
 *
 * <p>Workload: {@code documents} small generated text files (one sentence each, distinct contents),
 * extracted by Tika, classified by an in-process stand-in for an LLM that sleeps 200 ms per call and
 * declares itself I/O-bound ({@link Classifier#cpuBound()} = false), then written to a JSON Lines
 * file in batches of 100. Measured: {@code documents} = documents recorded per second over whole
 * runs (the {@code ·documents} row; the run count per second is the primary score). Expected bounds:
 * local 2 / 0.2 s = 10 documents/s; async 50 / 0.2 s = 250 documents/s. A run starts with its first
 * 50 documents queued for the 2 CPU permits and ends with fewer than 50 in flight, so short runs
 * understate the steady rate: async runs 1,000 documents (4 s); local, whose rate does not depend on
 * the run's length, 250 (25 s) to keep the benchmark short.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar WaitingClassifierEngineBenchmark -p engine=async -f 1 -wi 1 -i 3 -r 20}
 * and {@code ... -p engine=local -p documents=250}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 20)
@Measurement(iterations = 3, time = 20)
@Fork(1)
public class WaitingClassifierEngineBenchmark {

    @Param({"async", "local"})
    String engine;

    @Param("1000")
    int documents;

    private Path dir;
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
        dir = Files.createTempDirectory("docclassify-bench-small");
        String[] kinds = {"Invoice number %d. Bill to ACME. Amount due: %d EUR.", "Dear Sir, thank you for your letter %d of %d.",
                "This Agreement %d is made between the parties; governing law %d."};
        for (int i = 0; i < documents; i++) {
            Files.writeString(dir.resolve("doc" + i + ".txt"), String.format(kinds[i % kinds.length], i, i * 7));
        }
        output = Files.createTempFile("docclassify-bench", ".jsonl");
        classifier = DocumentClassifier.builder().engine(engine).workers(2).maxConcurrent(50)
                .classifier(new WaitingClassifier(new RulesClassifier(Taxonomy.builtIn()), 200)).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        classifier.close();
        EngineRuns.deleteTree(dir);
        Files.deleteIfExists(output);
    }

    @Benchmark
    public long run(Recorded recorded) throws IOException, InterruptedException {
        long done = EngineRuns.run(classifier, EngineRuns.directory(dir), output).documents();
        recorded.documents += done;
        return done;
    }

    /** An in-process stand-in for an LLM behind HTTP: a fixed wait, then the rules' label. */
    record WaitingClassifier(Classifier delegate, long millis) implements Classifier {
        @Override
        public String id() {
            return "waiting-" + millis + "ms";
        }

        @Override
        public Outcome.Classified classify(ExtractedText text) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return delegate.classify(text);
        }

        @Override
        public boolean cpuBound() {
            return false;
        }
    }
}
