package io.docclassify.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.docclassify.ConfigurationException;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.Segment;
import io.docclassify.Stage;
import io.docclassify.spi.PriorResults;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

@Timeout(60)
class JdbcResultSinkTest extends SinkContract {

    private static final Duration NEVER = Duration.ofHours(1);

    @RegisterExtension
    final PgTestDatabase db = PgTestDatabase.perTest();

    @Override
    protected BatchingSink open(boolean resume, int batchSize, Faults faults) throws IOException {
        PGSimpleDataSource real = new PGSimpleDataSource();
        real.setURL(db.url());
        return JdbcResultSink.builder(faulty(real, faults)).batchSize(batchSize).flushInterval(Duration.ZERO)
                .resume(resume).build();
    }

    @Override
    protected Set<String> storedPaths() throws SQLException {
        Set<String> paths = new HashSet<>();
        try (Connection connection = db.connect(); var statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT path FROM document_paths UNION ALL SELECT path FROM unread_paths")) {
            while (rs.next()) {
                paths.add(rs.getString(1));
            }
        }
        return paths;
    }

    /**
     * The database behind {@code real}, with the contract's faults: a connection waits while the store is
     * stalled and is refused (not transiently) while it fails; a crash kills the connection between the
     * documents and the paths of a batch, inside its transaction.
     */
    private static DataSource faulty(DataSource real, Faults faults) {
        return proxy(DataSource.class, real, (method, args, target) -> {
            if (!method.getName().equals("getConnection")) {
                return method.invoke(target, args);
            }
            try {
                faults.beforeWrite();
            } catch (IOException e) {
                throw new SQLException(e.getMessage(), "28000");
            }
            Connection connection = (Connection) method.invoke(target, args);
            return proxy(Connection.class, connection, (m, a, c) -> {
                Object result = m.invoke(c, a);
                return result instanceof PreparedStatement statement && a != null
                        && String.valueOf(a[0]).startsWith("INSERT INTO document_paths")
                        ? proxy(PreparedStatement.class, statement, (sm, sa, st) -> {
                            if (sm.getName().equals("executeBatch") && faults.crashNow()) {
                                connection.close(); // the server rolls the open transaction back
                                throw new SQLException("the connection died mid-batch (a crash the test injected)", "08006");
                            }
                            return sm.invoke(st, sa);
                        })
                        : result;
            });
        });
    }

    private interface Call<T> {
        Object call(Method method, Object[] args, T target) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, Call<T> call) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            try {
                return call.call(method, args, target);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private JdbcResultSink open(boolean resume) throws IOException {
        return JdbcResultSink.builder(db.url()).flushInterval(NEVER).resume(resume).build();
    }

    private static DocumentRecord classified(String path, String sha, String classifier, String label) {
        return new DocumentRecord(path, sha, 12L, "text/plain", 1, 12,
                new Outcome.Classified(label, 0.9, Map.of(label, 0.9, "other", 0.1)), classifier, Map.of("hash", 1L), 0, 1);
    }

    private static DocumentRecord failed(String path, String sha, String message) {
        return new DocumentRecord(path, sha, sha == null ? null : 5L, null, null, null,
                new Outcome.Failed(sha == null ? Stage.READ : Stage.EXTRACT, "timeout", message), null, Map.of(), 0);
    }

    private static DocumentRecord duplicate(String path, String sha) {
        return new DocumentRecord(path, sha, 12L, null, null, null, new Outcome.Duplicate(sha), null, Map.of(), 0);
    }

    private String column(String sql, String sha) throws SQLException {
        try (Connection connection = db.connect(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, sha);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void schema_isCreatedOnce_whenSinksOpenConcurrentlyAndAgain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<JdbcResultSink>> opening = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                opening.add(pool.submit((Callable<JdbcResultSink>) () -> open(false)));
            }
            for (Future<JdbcResultSink> sink : opening) {
                sink.get().close();
            }
        } finally {
            pool.shutdownNow();
        }
        open(false).close();
        assertThat(db.count("SELECT count(*) FROM docclassify_schema")).as("each migration recorded once").isEqualTo(JdbcSchema.CURRENT);
        assertThat(db.count("SELECT max(version) FROM docclassify_schema")).isEqualTo(JdbcSchema.CURRENT);
        assertThat(db.count("SELECT count(*) FROM runs WHERE ended_at IS NOT NULL")).as("one run per sink").isEqualTo(5);
    }

    @Test
    void roundTrip_storesAllThreeOutcomes_andAnswersPriorResults() throws Exception {
        try (JdbcResultSink sink = open(false)) {
            sink.accept(classified("/in/a.txt", SHA_A, "rules", "invoice"));
            sink.accept(failed("/in/b.pdf", SHA_B, "took too long"));
            sink.accept(failed("/in/gone.pdf", null, "no such file"));
            sink.accept(duplicate("/in/copy-of-a.txt", SHA_A));
        }
        assertThat(db.count("SELECT count(*) FROM documents")).isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM document_paths")).as("both paths of content A and B's").isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM unread_paths")).isEqualTo(1);
        assertThat(column("SELECT label FROM documents WHERE sha256 = ?", SHA_A)).isEqualTo("invoice");
        assertThat(column("SELECT scores->>'invoice' FROM documents WHERE sha256 = ?", SHA_A)).isEqualTo("0.9");
        assertThat(column("SELECT ocr_pages::text FROM documents WHERE sha256 = ?", SHA_A)).as("pages OCRed").isEqualTo("1");
        assertThat(column("SELECT ocr_pages::text FROM documents WHERE sha256 = ?", SHA_B)).isEqualTo("0");
        assertThat(column("SELECT failure_reason || '/' || failure_stage FROM documents WHERE sha256 = ?", SHA_B))
                .isEqualTo("timeout/extract");
        assertThat(column("SELECT counters->>'duplicate' FROM runs WHERE ? IS NOT NULL", "x")).isEqualTo("1");

        try (JdbcResultSink resumed = open(true)) {
            PriorResults prior = resumed.priorResults();
            assertThat(prior.size()).isEqualTo(4);
            assertThat(prior.hasRecord("/in/copy-of-a.txt", SHA_A)).isTrue();
            assertThat(prior.hasRecord("/in/copy-of-a.txt", SHA_B)).as("same path, other content").isFalse();
            assertThat(prior.hasRecord("/in/gone.pdf", null)).isTrue();
            assertThat(prior.hasRecord("/in/new.pdf", null)).isFalse();
            assertThat(prior.hasContent(SHA_A)).isTrue();
            assertThat(prior.hasContent(SHA_C)).isFalse();
        }
        try (JdbcResultSink fresh = open(false)) {
            assertThat(fresh.priorResults().hasRecord("/in/a.txt", SHA_A)).as("without resume every path is new").isFalse();
            assertThat(fresh.priorResults().hasContent(SHA_A)).as("known content is never classified again").isTrue();
        }
    }

    @Test
    void upsert_replacesOnlyWithABetterResult() throws Exception {
        try (JdbcResultSink sink = open(false)) {
            sink.accept(failed("/a", SHA_A, "first"));
            sink.accept(classified("/b", SHA_B, "rules", "invoice"));
            sink.accept(classified("/c", SHA_C, "rules", "invoice"));
        }
        try (JdbcResultSink sink = open(false)) {
            sink.accept(classified("/a", SHA_A, "rules", "invoice"));  // classified beats failed
            sink.accept(failed("/b", SHA_B, "a later failure"));       // failed never beats classified
            sink.accept(classified("/c", SHA_C, "rules", "receipt"));  // same classifier: the row stays
        }
        assertThat(column("SELECT outcome FROM documents WHERE sha256 = ?", SHA_A)).isEqualTo("classified");
        assertThat(column("SELECT outcome FROM documents WHERE sha256 = ?", SHA_B)).isEqualTo("classified");
        assertThat(column("SELECT label FROM documents WHERE sha256 = ?", SHA_C)).isEqualTo("invoice");
        try (JdbcResultSink sink = open(false)) {
            sink.accept(classified("/c", SHA_C, "embedding-v2", "receipt")); // another classifier: newer, replaces
            sink.accept(failed("/a2", SHA_A, "same batch, worse"));
            sink.accept(classified("/a3", SHA_A, "embedding-v2", "memo"));  // same content twice in one batch
        }
        assertThat(column("SELECT label FROM documents WHERE sha256 = ?", SHA_C)).isEqualTo("receipt");
        assertThat(column("SELECT label || ' by ' || classifier FROM documents WHERE sha256 = ?", SHA_A))
                .isEqualTo("memo by embedding-v2");
        assertThat(db.count("SELECT count(*) FROM document_paths")).isEqualTo(5);
    }

    @Test
    void hostileValues_areStoredIntact_andOneBadRowDoesNotBreakTheBatch() throws Exception {
        Random random = new Random(4);
        StringBuilder longPath = new StringBuilder("/in/");
        while (longPath.length() < 4000) {
            longPath.append((char) ('a' + random.nextInt(26))).append(random.nextInt(10) == 0 ? "/" : "");
        }
        List<String> paths = List.of("/in/it's \"quoted\".txt", "/in/a; DROP TABLE documents; --.txt",
                "/in/new\nline.txt", longPath.substring(0, 4000), "/in/not-utf8-\uFFFD\uFFFD.txt", "/in/ümlaut ☃.txt");
        List<DocumentRecord> records = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            records.add(classified(paths.get(i), String.format("%064x", i + 1), "rules", "invoice"));
        }
        records.add(failed("/in/nul.txt", "f".repeat(64), "text with a NUL \u0000 byte; and 'quotes'"));
        records.add(classified("/in/bad-hash.txt", "not a sha256 but far too long for the column".repeat(3), "rules", "x"));
        try (JdbcResultSink sink = open(false)) {
            for (DocumentRecord record : records) {
                sink.accept(record);
            }
            sink.flush();
            assertThat(sink.rejected()).as("only the record with the impossible hash is refused").isEqualTo(1);
        }
        assertThat(db.count("SELECT count(*) FROM documents")).isEqualTo(paths.size() + 1);
        for (int i = 0; i < paths.size(); i++) {
            assertThat(column("SELECT path FROM document_paths WHERE sha256 = ?", String.format("%064x", i + 1)))
                    .as("path %d kept byte for byte", i).isEqualTo(paths.get(i));
        }
        assertThat(column("SELECT failure_message FROM documents WHERE sha256 = ?", "f".repeat(64)))
                .isEqualTo("text with a NUL  byte; and 'quotes'");
        try (JdbcResultSink resumed = open(true)) {
            assertThat(resumed.priorResults().hasRecord(paths.get(3), String.format("%064x", 4))).isTrue();
            assertThat(resumed.priorResults().hasRecord(paths.get(2), String.format("%064x", 3))).isTrue();
        }
    }

    private static DocumentRecord embedded(String path, String sha) {
        Outcome.Classified outcome = new Outcome.Classified("invoice", 0.6, Map.of("invoice", 0.6, "letter", 0.4))
                .withRationale("it asks for payment; it's due")
                .withDecidedBy("llm")
                .withEmbedding(new float[] {0.25f, -1.5f, 3e-7f});
        return new DocumentRecord(path, sha, 12L, "text/plain", 1, 12, outcome, "cascade", Map.of(), 0);
    }

    @Test
    void segments_areStoredInTheirOwnTable_followTheStoredResult_andSurviveAReplay() throws Exception {
        List<Segment> two = List.of(new Segment(1, 2, "invoice", 0.8), new Segment(3, 5, "contract", 0.6));
        DocumentRecord split = new DocumentRecord("/in/batch.pdf", SHA_A, 99L, "application/pdf", 5, 400,
                new Outcome.Classified("invoice", 0.9, Map.of("invoice", 0.9)).withSegments(two), "embedding",
                Map.of(), 0, 0);
        try (JdbcResultSink sink = open(false)) {
            sink.accept(split);
            sink.accept(classified("/in/plain.txt", SHA_B, "rules", "letter"));
        }
        String segments = "SELECT string_agg(ordinal || ':' || first_page || '-' || last_page || ':' || label || ':'"
                + " || confidence, ',' ORDER BY ordinal) FROM document_segments WHERE sha256 = ?";
        assertThat(column(segments, SHA_A)).as("the split file's segments").isEqualTo("0:1-2:invoice:0.8,1:3-5:contract:0.6");
        assertThat(column(segments, SHA_B)).as("a file not split has no segment rows").isNull();

        try (JdbcResultSink sink = open(true)) {
            sink.accept(split);
            sink.accept(failed("/in/batch.pdf", SHA_A, "a worse result"));
        }
        assertThat(column(segments, SHA_A)).as("a replay, and a failure after it, change nothing")
                .isEqualTo("0:1-2:invoice:0.8,1:3-5:contract:0.6");
        try (JdbcResultSink sink = open(true)) {
            sink.accept(new DocumentRecord("/in/batch.pdf", SHA_A, 99L, "application/pdf", 5, 400,
                    new Outcome.Classified("memo", 0.5, Map.of()).withSegments(List.of(new Segment(1, 5, "memo", 0.5))),
                    "cascade", Map.of(), 0, 0));
        }
        assertThat(column(segments, SHA_A)).as("another classifier's result replaces the row, and its segments")
                .isEqualTo("0:1-5:memo:0.5");
        try (JdbcResultSink sink = open(true)) {
            sink.accept(classified("/in/batch.pdf", SHA_A, "rules", "memo"));
        }
        assertThat(column(segments, SHA_A)).as("a result without segments removes the stored ones").isNull();
    }

    @Test
    void embeddingRationaleAndDecidingStage_areStored_asARealArrayWithoutPgvector() throws Exception {
        try (JdbcResultSink sink = open(false)) {
            sink.accept(embedded("/in/a.txt", SHA_A));
            sink.accept(classified("/in/b.txt", SHA_B, "rules", "letter"));
        }
        assertThat(column("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = to_regclass('documents') AND attname = ?", "embedding")).isEqualTo("real[]");
        assertThat(column("SELECT embedding::text FROM documents WHERE sha256 = ?", SHA_A)).isEqualTo("{0.25,-1.5,3e-07}");
        assertThat(column("SELECT array_length(embedding, 1)::text FROM documents WHERE sha256 = ?", SHA_A)).isEqualTo("3");
        assertThat(column("SELECT rationale || '|' || decided_by FROM documents WHERE sha256 = ?", SHA_A))
                .isEqualTo("it asks for payment; it's due|llm");
        assertThat(column("SELECT coalesce(embedding::text, 'none') FROM documents WHERE sha256 = ?", SHA_B))
                .isEqualTo("none");
    }

    @Test
    void embedding_usesPgvectorsType_whenOneIsVisibleOnTheSearchPath() throws Exception {
        // pgvector cannot be installed on the test machine; a type of the same name that accepts any text
        // stands in, to check that the column takes that type and gets pgvector's '[...]' literal.
        try (Connection connection = db.connect(); var statement = connection.createStatement()) {
            statement.execute("CREATE DOMAIN vector AS text CHECK (VALUE ~ '^\\[[-0-9.,eE]*\\]$')");
        }
        try (JdbcResultSink sink = open(false)) {
            sink.accept(embedded("/in/a.txt", SHA_A));
        }
        assertThat(column("SELECT embedding::text FROM documents WHERE sha256 = ?", SHA_A)).isEqualTo("[0.25,-1.5,3.0E-7]");
    }

    @Test
    void continueRun_reopensTheRun_andItsCountersGoOn() throws Exception {
        long id;
        try (JdbcResultSink sink = open(false)) {
            id = sink.runId();
            sink.accept(classified("/in/a.txt", SHA_A, "rules", "invoice"));
            sink.accept(duplicate("/in/a-copy.txt", SHA_A));
        }
        assertThat(db.count("SELECT count(*) FROM runs WHERE ended_at IS NOT NULL")).isEqualTo(1);
        try (JdbcResultSink again = JdbcResultSink.builder(db.url()).flushInterval(NEVER).continueRun(id).build()) {
            assertThat(again.runId()).isEqualTo(id);
            assertThat(db.count("SELECT count(*) FROM runs WHERE ended_at IS NULL")).as("reopened").isEqualTo(1);
            assertThat(again.priorResults().hasRecord("/in/a.txt", SHA_A)).as("continuing implies resume").isTrue();
            again.accept(classified("/in/b.txt", SHA_B, "rules", "letter"));
        }
        assertThat(db.count("SELECT count(*) FROM runs")).as("no second run").isEqualTo(1);
        assertThat(column("SELECT counters->>'classified' || '/' || (counters->>'duplicate') FROM runs WHERE id = ?::bigint",
                String.valueOf(id))).isEqualTo("2/1");
        assertThat(db.count("SELECT count(*) FROM document_paths WHERE run_id = " + id)).isEqualTo(3);

        ConfigurationException unknown = assertThrows(ConfigurationException.class,
                () -> JdbcResultSink.builder(db.url()).continueRun(id + 100).build());
        assertThat(unknown.getMessage()).contains("no run " + (id + 100));
    }

    @Test
    void password_neverAppearsInMessagesOrToString() {
        String secret = "s3cret-Pa55";
        JdbcResultSink.Builder builder = JdbcResultSink.builder(
                "jdbc:postgresql://127.0.0.1:1/test?password=" + secret + "&connectTimeout=2").user("nobody").password(secret);
        IOException e = assertThrows(IOException.class, builder::build);
        assertThat(e.getMessage()).contains("cannot open the results database").doesNotContain(secret);
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            assertThat(String.valueOf(cause.getMessage())).doesNotContain(secret);
        }
        ConfigurationException wrong = assertThrows(ConfigurationException.class,
                () -> JdbcResultSink.builder("jdbc:mysql://h/db?password=" + secret));
        assertThat(wrong.getMessage()).contains("jdbc:postgresql:").doesNotContain(secret);
    }

    @Test
    void badSettings_areRejectedWithTheValue() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> JdbcResultSink.builder("jdbc:postgresql://h/db").batchSize(0));
        assertThat(e.getMessage()).contains("JdbcResultSink.batchSize must be >= 1, got 0");
        assertThat(e.setting()).isEqualTo("JdbcResultSink.batchSize");
    }
}
