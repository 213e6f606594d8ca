package io.docclassify.benchmarks;

import io.docclassify.DocumentClassifier;
import io.docclassify.RunReport;
import io.docclassify.sink.JdbcResultSink;
import io.docclassify.sink.JsonLinesSink;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.ResultSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The whole pipeline: each engine over the papers corpus with the default (embedding) classifier,
 * into JSON Lines or PostgreSQL, with the projection for the users' 500,000 documents.
 *
 * <p>Workload: the 138 PDFs of the papers corpus (2,323 pages), read, hashed, extracted to the
 * default budget, classified and written, 2 workers; one operation is one whole run into a fresh
 * sink (a new file, or a new schema on {@code DOCCLASSIFY_TEST_JDBC_URL}). Measured: seconds per run
 * (JMH's single-shot time, after 3 warm-up runs); at the end of each trial a line {@code e2e ...}
 * gives the median measured run's documents/hour, pages/second, the time split per stage, and the
 * projected time for 500,000 documents and for 5,000,000 pages at those rates.
 * Run: {@code java --enable-native-access=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar EndToEndBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
public class EndToEndBenchmark {

    @Param({"local", "async"})
    String engine;

    @Param({"jsonl", "postgres"})
    String sink;

    private DocumentClassifier classifier;
    private Path output;
    private final List<String> schemas = new ArrayList<>();
    private final List<RunReport> reports = new ArrayList<>();
    private boolean measuring;

    @Setup
    public void setUp() throws IOException {
        classifier = DocumentClassifier.builder().engine(engine).workers(2).build();
        output = Files.createTempFile("docclassify-e2e", ".jsonl");
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    @Benchmark
    public RunReport run() throws IOException, InterruptedException, SQLException {
        try (ResultSink target = openSink()) {
            RunReport report = classifier.run(DocumentSources.directory(BenchCorpus.papers(), false), target);
            if (measuring) {
                reports.add(report);
            }
            return report;
        }
    }

    private ResultSink openSink() throws IOException, SQLException {
        if (sink.equals("jsonl")) {
            return JsonLinesSink.open(output, JsonLinesSink.Mode.OVERWRITE);
        }
        String schema = BenchDatabase.createSchema("EndToEndBenchmark");
        schemas.add(schema);
        return JdbcResultSink.builder(BenchDatabase.url(schema)).build();
    }

    @TearDown
    public void tearDown() throws IOException, SQLException {
        classifier.close();
        Files.deleteIfExists(output);
        for (String schema : schemas) {
            BenchDatabase.dropSchema(schema);
        }
        List<RunReport> measured = reports.stream().sorted(Comparator.comparing(RunReport::elapsed)).toList();
        if (!measured.isEmpty()) {
            System.out.println(summary(engine + "/" + sink, measured.get(measured.size() / 2)));
        }
    }

    /** One line with the rates and projections of a run. */
    static String summary(String name, RunReport r) {
        return String.format(Locale.ROOT, "e2e %s: %d documents, %d pages in %.1f s: %,.0f documents/hour, %.0f pages/s;"
                        + " 500,000 documents: %s; 5,000,000 pages: %s; stage ms %s",
                name, r.documents(), r.pages(), r.elapsed().toMillis() / 1000.0, r.documentsPerHour(),
                r.pagesPerSecond(), hours(r.projectDocuments(500_000)), hours(r.projectPages(5_000_000)),
                r.stageMillis());
    }

    private static String hours(Duration d) {
        return d == null ? "n/a" : String.format(Locale.ROOT, "%.1f h", d.toMillis() / 3_600_000.0);
    }
}
