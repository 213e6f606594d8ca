package io.docclassify.benchmarks;

import io.docclassify.sink.JdbcResultSink;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
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
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * How the PostgreSQL sink should write a batch: rewritten batch inserts, or COPY into a staging table
 * followed by one {@code INSERT ... SELECT ... ON CONFLICT}.
 *
 * <p>Workload: batches of 100 new results (the sink's default batch size), 1,000 rows per operation,
 * each a {@code documents} upsert with the sink's replace-only-when-better condition plus a
 * {@code document_paths} insert, in the sink's own schema (opened once by a {@link JdbcResultSink}),
 * one transaction per batch. With {@code embedding=true} each row carries a 384-number embedding, as
 * the default classifier produces. Measured: rows per second (one op per result). The outcome decided
 * which method the sink uses (see the README).
 *
 * <p>Needs PostgreSQL at {@code DOCCLASSIFY_TEST_JDBC_URL} (default 127.0.0.1:5432, database test).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar JdbcWriteMethodBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class JdbcWriteMethodBenchmark {

    private static final int ROWS = 1_000;
    private static final int BATCH = 100;
    private static final String COLUMNS = "sha256, label, confidence, scores, pages, chars, media_type, outcome,"
            + " classifier, bytes, embedding";
    private static final String ON_CONFLICT = """
             ON CONFLICT (sha256) DO UPDATE SET label = EXCLUDED.label, confidence = EXCLUDED.confidence,
                scores = EXCLUDED.scores, outcome = EXCLUDED.outcome, classifier = EXCLUDED.classifier,
                embedding = EXCLUDED.embedding
            WHERE (EXCLUDED.outcome = 'classified' AND documents.outcome <> 'classified')
                OR (EXCLUDED.outcome = documents.outcome AND EXCLUDED.classifier IS DISTINCT FROM documents.classifier)
            """;

    @Param({"batch", "copy"})
    String method;

    @Param({"false", "true"})
    boolean embedding;

    private String schema;
    private Connection connection;
    private String vector;
    private long next;

    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        schema = BenchDatabase.createSchema("JdbcWriteMethodBenchmark");
        String url = BenchDatabase.url(schema) + "&reWriteBatchedInserts=true";
        JdbcResultSink.builder(url).build().close(); // creates the sink's tables
        connection = DriverManager.getConnection(url);
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE staging_documents (LIKE documents INCLUDING DEFAULTS)"
                    + " ON COMMIT DELETE ROWS");
            statement.execute("CREATE TEMP TABLE staging_paths (sha256 char(64), path text) ON COMMIT DELETE ROWS");
        }
        connection.commit();
        StringBuilder v = new StringBuilder("{");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 384; i++) {
            v.append(i == 0 ? "" : ",").append((float) random.nextGaussian() / 20);
        }
        vector = v.append('}').toString();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        connection.close();
        BenchDatabase.dropSchema(schema);
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long write() throws SQLException, IOException {
        for (int done = 0; done < ROWS; done += BATCH) {
            if (method.equals("copy")) {
                copyBatch();
            } else {
                insertBatch();
            }
            connection.commit();
        }
        return next;
    }

    private void insertBatch() throws SQLException {
        try (PreparedStatement documents = connection.prepareStatement("INSERT INTO documents (" + COLUMNS
                + ") VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?::real[])" + ON_CONFLICT);
                PreparedStatement paths = connection.prepareStatement(
                        "INSERT INTO document_paths (sha256, path) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            for (int i = 0; i < BATCH; i++) {
                long id = next++;
                String sha = String.format("%064x", id);
                documents.setString(1, sha);
                documents.setString(2, "invoice");
                documents.setDouble(3, 0.87);
                documents.setString(4, "{\"invoice\": 0.87, \"receipt\": 0.09, \"other\": 0.04}");
                documents.setInt(5, 12);
                documents.setInt(6, 5_000);
                documents.setString(7, "application/pdf");
                documents.setString(8, "classified");
                documents.setString(9, "embedding@all-minilm-l6-v2-q/f443fdc7");
                documents.setLong(10, 123_456L);
                documents.setString(11, embedding ? vector : null);
                documents.addBatch();
                paths.setString(1, sha);
                paths.setString(2, path(id));
                paths.addBatch();
            }
            documents.executeBatch();
            paths.executeBatch();
        }
    }

    private void copyBatch() throws SQLException, IOException {
        StringBuilder documents = new StringBuilder(BATCH * (embedding ? 4_500 : 200));
        StringBuilder paths = new StringBuilder(BATCH * 120);
        for (int i = 0; i < BATCH; i++) {
            long id = next++;
            String sha = String.format("%064x", id);
            documents.append(sha).append(",invoice,0.87,\"{\"\"invoice\"\": 0.87, \"\"receipt\"\": 0.09, \"\"other\"\": 0.04}\",")
                    .append("12,5000,application/pdf,classified,embedding@all-minilm-l6-v2-q/f443fdc7,123456,")
                    .append(embedding ? "\"" + vector + "\"" : "").append('\n');
            paths.append(sha).append(",\"").append(path(id)).append("\"\n");
        }
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        copy.copyIn("COPY staging_documents (" + COLUMNS + ") FROM STDIN (FORMAT csv)",
                new StringReader(documents.toString()));
        copy.copyIn("COPY staging_paths (sha256, path) FROM STDIN (FORMAT csv)", new StringReader(paths.toString()));
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO documents (" + COLUMNS + ") SELECT " + COLUMNS + " FROM staging_documents"
                    + ON_CONFLICT);
            statement.execute("INSERT INTO document_paths (sha256, path) SELECT sha256, path FROM staging_paths"
                    + " ON CONFLICT DO NOTHING");
        }
    }

    private static String path(long id) {
        return "/corpus/dir-" + (id % 100) + "/document-" + id + ".pdf";
    }
}
