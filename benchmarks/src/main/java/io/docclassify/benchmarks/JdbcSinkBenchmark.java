package io.docclassify.benchmarks;

import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.sink.JdbcResultSink;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The PostgreSQL sink alone: records per second for sink batch sizes 1, 100 and 1000.
 *
 * <p>Workload: classified records with new content (a fresh sha256 each, so every one is an insert into
 * {@code documents} plus one into {@code document_paths}), 1,000 per operation, written by one thread
 * and flushed; the tables grow through the run, as in a real one. Measured: records per second
 * (JMH's ops/s, one op per record). The baseline builds the same records without writing them.
 *
 * <p>Needs a PostgreSQL server: {@code DOCCLASSIFY_TEST_JDBC_URL}, by default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. Each fork works in a schema of its own,
 * dropped at the end. Without a server, setup fails at once and says so.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar JdbcSinkBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class JdbcSinkBenchmark {

    private static final int RECORDS = 1_000;

    @Param({"1", "100", "1000"})
    int batchSize;

    private String schema;
    private JdbcResultSink sink;
    private long next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        schema = BenchDatabase.createSchema("JdbcSinkBenchmark");
        sink = JdbcResultSink.builder(BenchDatabase.url(schema))
                .batchSize(batchSize).flushInterval(Duration.ZERO).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, SQLException {
        sink.close();
        BenchDatabase.dropSchema(schema);
    }

    private DocumentRecord record() {
        long id = next++;
        return new DocumentRecord("/corpus/dir-" + (id % 100) + "/document-" + id + ".pdf", String.format("%064x", id),
                123_456L, "application/pdf", 12, 5_000,
                new Outcome.Classified("invoice", 0.87, Map.of("invoice", 0.87, "receipt", 0.09, "other", 0.04)),
                "embedding@all-minilm-l6-v2-q/f443fdc7", Map.of("hash", 1L, "extract", 40L, "classify", 3L), 0);
    }

    /** Baseline: the records, built and not written. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long baselineBuildRecords() {
        long sum = 0;
        for (int i = 0; i < RECORDS; i++) {
            sum += record().path().length();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public JdbcResultSink write() throws IOException {
        for (int i = 0; i < RECORDS; i++) {
            sink.accept(record());
        }
        sink.flush();
        return sink;
    }
}
