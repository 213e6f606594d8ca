package io.docclassify.benchmarks;

import io.docclassify.DocumentClassifier;
import io.docclassify.ExtractionLimits;
import io.docclassify.RunReport;
import io.docclassify.classify.RulesClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.extract.TikaExtractor;
import io.docclassify.sink.JsonLinesSink;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.ExtractionProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How much of a run is extraction: the whole pipeline with the rules classifier against bare extraction
 * of the same documents, with the same character budget and the same 2 threads, in one JMH run.
 *
 * <p>Workload: the 138 PDFs of the papers corpus. {@code bareExtraction}: a pool of 2 threads calls the
 * pipeline's Tika extractor on each document, to the default 5,000-character budget, and nothing
 * else. {@code pipelineRules}: the local engine with 2 workers reads, hashes, extracts (same budget),
 * classifies with the rules classifier and writes JSON Lines. One operation is one pass over all 138
 * documents. Measured: seconds per pass (single shot after 3 warm-up passes); the pipeline's share of
 * bare extraction's speed is the ratio of the two scores.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar PipelineShareBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class PipelineShareBenchmark {

    private List<Path> papers;
    private TikaExtractor extractor;
    private ExecutorService pool;
    private DocumentClassifier classifier;
    private Path output;

    @Setup
    public void setUp() throws IOException {
        papers = BenchCorpus.files(BenchCorpus.papers(), Set.of("pdf"));
        extractor = new TikaExtractor(ExtractionLimits.defaults());
        pool = Executors.newFixedThreadPool(2);
        classifier = DocumentClassifier.builder().engine("local").workers(2)
                .classifier(new RulesClassifier(Taxonomy.builtIn())).build();
        output = Files.createTempFile("docclassify-share", ".jsonl");
    }

    @TearDown
    public void tearDown() throws IOException {
        pool.shutdownNow();
        classifier.close();
        Files.deleteIfExists(output);
    }

    /** Baseline: extraction alone, the documents shared between 2 threads. */
    @Benchmark
    public int bareExtraction() throws InterruptedException, ExecutionException {
        AtomicInteger next = new AtomicInteger();
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            workers.add(pool.submit(() -> {
                int chars = 0;
                for (int i = next.getAndIncrement(); i < papers.size(); i = next.getAndIncrement()) {
                    chars += extractor.extract(papers.get(i), ExtractionProgress.NONE).text().length();
                }
                return chars;
            }));
        }
        int chars = 0;
        for (Future<Integer> worker : workers) {
            chars += worker.get();
        }
        return chars;
    }

    @Benchmark
    public RunReport pipelineRules() throws IOException, InterruptedException {
        try (JsonLinesSink sink = JsonLinesSink.open(output, JsonLinesSink.Mode.OVERWRITE)) {
            return classifier.run(DocumentSources.files(papers), sink);
        }
    }
}
