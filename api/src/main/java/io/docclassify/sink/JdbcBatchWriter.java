package io.docclassify.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.Segment;
import io.docclassify.spi.PriorResults;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a batch of records as one transaction: one upserted row per distinct content, one row per path,
 * unread files apart, and the run's heartbeat. Transient errors re-run the whole transaction, which is
 * idempotent; a batch refused for its data is written one record at a time, and each record still refused
 * is logged and counted, never dropped silently.
 */
final class JdbcBatchWriter implements BatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcResultSink.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** The upsert of one result; {@code %s} is the embedding's cast, {@code vector} or {@code real[]}. */
    private static final String UPSERT_DOCUMENT = """
            INSERT INTO documents (sha256, label, confidence, scores, pages, chars, media_type, outcome,
                failure_stage, failure_reason, failure_message, classifier, bytes, run_id, rationale, decided_by,
                embedding, ocr_pages)
            VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::%s, ?)
            ON CONFLICT (sha256) DO UPDATE SET label = EXCLUDED.label, confidence = EXCLUDED.confidence,
                scores = EXCLUDED.scores, pages = EXCLUDED.pages, chars = EXCLUDED.chars,
                media_type = EXCLUDED.media_type, outcome = EXCLUDED.outcome,
                failure_stage = EXCLUDED.failure_stage, failure_reason = EXCLUDED.failure_reason,
                failure_message = EXCLUDED.failure_message, classifier = EXCLUDED.classifier,
                bytes = EXCLUDED.bytes, processed_at = EXCLUDED.processed_at, run_id = EXCLUDED.run_id,
                rationale = EXCLUDED.rationale, decided_by = EXCLUDED.decided_by, embedding = EXCLUDED.embedding,
                ocr_pages = EXCLUDED.ocr_pages
            WHERE (EXCLUDED.outcome = 'classified' AND documents.outcome <> 'classified')
                OR (EXCLUDED.outcome = documents.outcome AND EXCLUDED.classifier IS DISTINCT FROM documents.classifier)
            """;
    /*
     * A split file's segments follow the row its document has: they are written only when this transaction
     * wrote that row (the upsert sets processed_at to now(), the transaction's start, and keeps a stored result
     * that is as good), and then replace the stored ones; a classification without segments removes them.
     */
    private static final String ROW_HOLDS_RESULT = " EXISTS (SELECT 1 FROM documents d WHERE d.sha256 = ?"
            + " AND d.outcome = 'classified' AND d.processed_at = now())";
    private static final String UPSERT_SEGMENT = """
            INSERT INTO document_segments (sha256, ordinal, first_page, last_page, label, confidence)
            SELECT ?, ?, ?, ?, ?, ? WHERE""" + ROW_HOLDS_RESULT + """

            ON CONFLICT (sha256, ordinal) DO UPDATE SET first_page = EXCLUDED.first_page,
                last_page = EXCLUDED.last_page, label = EXCLUDED.label, confidence = EXCLUDED.confidence
            """;
    private static final String DELETE_EXTRA_SEGMENTS =
            "DELETE FROM document_segments WHERE sha256 = ? AND ordinal >= ? AND" + ROW_HOLDS_RESULT;
    private static final String INSERT_PATH =
            "INSERT INTO document_paths (sha256, path, run_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String INSERT_UNREAD = """
            INSERT INTO unread_paths (path, bytes, failure_reason, failure_message, run_id)
            VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """;

    private final DataSource dataSource;
    private final AutoCloseable ownedPool;
    private final String description;
    private final JdbcRuns run;
    private final JdbcRetry retry;
    private final boolean embeddingIsVector;
    private final String upsertDocument;
    private final PriorResults prior;

    JdbcBatchWriter(DataSource dataSource, AutoCloseable ownedPool, String description, JdbcRuns run, JdbcRetry retry,
            boolean embeddingIsVector, PriorResults prior) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.description = description;
        this.run = run;
        this.retry = retry;
        this.embeddingIsVector = embeddingIsVector;
        this.upsertDocument = UPSERT_DOCUMENT.formatted(embeddingIsVector ? "vector" : "real[]");
        this.prior = prior;
    }

    @Override
    public void write(List<DocumentRecord> batch) throws IOException {
        retry.run("writing " + batch.size() + " records to " + description, () -> {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    writeInTransactions(connection, batch);
                } finally {
                    // A host's pool may not reset what the sink changed on its connections.
                    connection.setAutoCommit(true);
                }
            }
            return null;
        });
        run.written(batch);
    }

    @Override
    public PriorResults priorResults() {
        return prior;
    }

    @Override
    public void finish() throws IOException {
        run.end(dataSource, retry, description);
    }

    @Override
    public void close() throws IOException {
        if (ownedPool != null) {
            try {
                ownedPool.close();
            } catch (Exception e) {
                throw new IOException("closing the pool of " + description + " failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String description() {
        return "results database " + description;
    }

    @Override
    public String kind() {
        return "jdbc";
    }

    /** One transaction for the batch; if its data is refused, one per record. */
    private void writeInTransactions(Connection connection, List<DocumentRecord> batch) throws SQLException {
        try {
            write(connection, batch);
            connection.commit();
            return;
        } catch (SQLException e) {
            connection.rollback();
            if (JdbcErrors.isTransient(e)) {
                throw e;
            }
            LOG.warn("A batch of {} records was refused ({}); writing them one at a time", batch.size(),
                    JdbcErrors.reason(e));
        }
        for (DocumentRecord record : batch) {
            try {
                write(connection, List.of(record));
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                if (JdbcErrors.isTransient(e)) {
                    throw e;
                }
                run.rejected();
                LOG.error("The results database refused the record for {}: {} (SQLState {})", record.path(),
                        JdbcErrors.reason(e), e.getSQLState());
            }
        }
    }

    private void write(Connection connection, List<DocumentRecord> batch) throws SQLException {
        try (PreparedStatement documents = connection.prepareStatement(upsertDocument);
                PreparedStatement paths = connection.prepareStatement(INSERT_PATH);
                PreparedStatement unread = connection.prepareStatement(INSERT_UNREAD)) {
            int documentRows = 0;
            int pathRows = 0;
            int unreadRows = 0;
            // One statement may not update a row twice, so only the best result per content goes in.
            for (DocumentRecord record : bestPerContent(batch)) {
                bindDocument(documents, record);
                documents.addBatch();
                documentRows++;
            }
            for (DocumentRecord record : batch) {
                if (record.sha256() == null) {
                    Outcome.Failed failed = record.outcome() instanceof Outcome.Failed f ? f : null;
                    unread.setString(1, JdbcErrors.clean(record.path()));
                    setLong(unread, 2, record.bytes());
                    unread.setString(3, JdbcErrors.clean(failed != null ? failed.reason() : "unread"));
                    unread.setString(4, JdbcErrors.clean(failed != null ? failed.message() : null));
                    unread.setLong(5, run.id());
                    unread.addBatch();
                    unreadRows++;
                } else {
                    paths.setString(1, record.sha256());
                    paths.setString(2, JdbcErrors.clean(record.path()));
                    paths.setLong(3, run.id());
                    paths.addBatch();
                    pathRows++;
                }
            }
            if (documentRows > 0) {
                documents.executeBatch();
                writeSegments(connection, bestPerContent(batch));
            }
            if (pathRows > 0) {
                paths.executeBatch();
            }
            if (unreadRows > 0) {
                unread.executeBatch();
            }
        }
        run.heartbeat(connection);
    }

    private static void writeSegments(Connection connection, List<DocumentRecord> best) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_SEGMENT);
                PreparedStatement extra = connection.prepareStatement(DELETE_EXTRA_SEGMENTS)) {
            int rows = 0;
            int classified = 0;
            for (DocumentRecord record : best) {
                if (!(record.outcome() instanceof Outcome.Classified c)) {
                    continue;
                }
                List<Segment> segments = c.segments() == null ? List.of() : c.segments();
                for (int i = 0; i < segments.size(); i++) {
                    Segment segment = segments.get(i);
                    upsert.setString(1, record.sha256());
                    upsert.setInt(2, i);
                    upsert.setInt(3, segment.first());
                    upsert.setInt(4, segment.last());
                    upsert.setString(5, JdbcErrors.clean(segment.label()));
                    upsert.setDouble(6, segment.confidence());
                    upsert.setString(7, record.sha256());
                    upsert.addBatch();
                    rows++;
                }
                extra.setString(1, record.sha256());
                extra.setInt(2, segments.size());
                extra.setString(3, record.sha256());
                extra.addBatch();
                classified++;
            }
            if (rows > 0) {
                upsert.executeBatch();
            }
            if (classified > 0) {
                extra.executeBatch();
            }
        }
    }

    /** The best result per content in {@code batch}, ranked as the upsert ranks them; duplicates have no row. */
    static List<DocumentRecord> bestPerContent(List<DocumentRecord> batch) {
        Map<String, DocumentRecord> best = new LinkedHashMap<>();
        for (DocumentRecord record : batch) {
            if (record.sha256() == null || record.outcome() instanceof Outcome.Duplicate) {
                continue;
            }
            best.merge(record.sha256(), record, (old, candidate) -> replaces(candidate, old) ? candidate : old);
        }
        return new ArrayList<>(best.values());
    }

    /** A classification replaces a failure; the same outcome from another classifier replaces the stored one. */
    static boolean replaces(DocumentRecord candidate, DocumentRecord old) {
        boolean classified = candidate.outcome() instanceof Outcome.Classified;
        boolean wasClassified = old.outcome() instanceof Outcome.Classified;
        return classified && !wasClassified
                || classified == wasClassified && !Objects.equals(candidate.classifier(), old.classifier());
    }

    private void bindDocument(PreparedStatement statement, DocumentRecord record) throws SQLException {
        String label = null;
        Double confidence = null;
        String scores = null;
        String stage = null;
        String reason = null;
        String message = null;
        String rationale = null;
        String decidedBy = null;
        String embedding = null;
        switch (record.outcome()) {
            case Outcome.Classified c -> {
                label = c.label();
                confidence = c.confidence();
                scores = scoresJson(c.scores());
                rationale = c.rationale();
                decidedBy = c.decidedBy();
                embedding = vectorLiteral(c.embedding(), embeddingIsVector);
            }
            case Outcome.Failed f -> {
                stage = f.stage().code();
                reason = f.reason();
                message = f.message();
            }
            case Outcome.Duplicate d -> throw new IllegalArgumentException("a duplicate has no document row: " + d);
        }
        statement.setString(1, record.sha256());
        statement.setString(2, JdbcErrors.clean(label));
        if (confidence == null) {
            statement.setNull(3, Types.DOUBLE);
        } else {
            statement.setDouble(3, confidence);
        }
        statement.setString(4, scores);
        setInt(statement, 5, record.pages());
        setInt(statement, 6, record.chars());
        statement.setString(7, JdbcErrors.clean(record.mediaType()));
        statement.setString(8, record.outcome().code());
        statement.setString(9, stage);
        statement.setString(10, JdbcErrors.clean(reason));
        statement.setString(11, JdbcErrors.clean(message));
        statement.setString(12, JdbcErrors.clean(record.classifier()));
        setLong(statement, 13, record.bytes());
        statement.setLong(14, run.id());
        statement.setString(15, JdbcErrors.clean(rationale));
        statement.setString(16, JdbcErrors.clean(decidedBy));
        statement.setString(17, embedding);
        statement.setInt(18, record.ocrPages());
    }

    /** The vector as pgvector ({@code [1.0,2.0]}) or array ({@code {1.0,2.0}}) text, or {@code null}. */
    static String vectorLiteral(float[] vector, boolean pgvector) {
        if (vector == null) {
            return null;
        }
        StringBuilder text = new StringBuilder(vector.length * 12).append(pgvector ? '[' : '{');
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            // NaN and infinities fit neither type; an embedding never holds them, but a bad one must not break a batch.
            text.append(Float.isFinite(vector[i]) ? vector[i] : 0f);
        }
        return text.append(pgvector ? ']' : '}').toString();
    }

    private static String scoresJson(Map<String, Double> scores) {
        Map<String, Double> clean = new LinkedHashMap<>();
        scores.forEach((label, score) -> clean.put(JdbcErrors.clean(label), score));
        try {
            return JSON.writeValueAsString(clean);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("scores could not be written as JSON", e);
        }
    }

    private static void setInt(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }
}
