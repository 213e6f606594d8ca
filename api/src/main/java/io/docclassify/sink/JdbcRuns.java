package io.docclassify.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.docclassify.ConfigurationException;
import io.docclassify.DocumentRecord;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's row in {@code runs}: started or reopened when the sink opens, its counters kept as batches are
 * written, ended with them when the sink closes. Thread-safe.
 */
final class JdbcRuns {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcResultSink.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final long id;
    private final Map<String, AtomicLong> counters = new LinkedHashMap<>();
    private final AtomicLong rejected = new AtomicLong();

    private JdbcRuns(long id) {
        this.id = id;
        for (String outcome : List.of("classified", "failed", "duplicate")) {
            counters.put(outcome, new AtomicLong());
        }
    }

    /** Records a new run: its engine and its configuration as a JSON object. */
    static JdbcRuns start(Connection connection, String engine, String configurationJson) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO runs (engine, configuration) VALUES (?, ?::jsonb) RETURNING id")) {
            insert.setString(1, JdbcErrors.clean(engine));
            insert.setString(2, JdbcErrors.clean(configurationJson));
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return new JdbcRuns(rs.getLong(1));
            }
        }
    }

    /** Reopens run {@code id} and loads its counters, or says that the database has no such run. */
    static JdbcRuns reopen(Connection connection, long id) throws SQLException {
        JdbcRuns run = new JdbcRuns(id);
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE runs SET ended_at = NULL, heartbeat_at = now() WHERE id = ? RETURNING counters::text")) {
            update.setLong(1, id);
            try (ResultSet rs = update.executeQuery()) {
                if (!rs.next()) {
                    throw new ConfigurationException("JdbcResultSink.continueRun", id, "the results database has"
                            + " no run " + id + " to continue (JdbcResultSink.continueRun); leave it out to resume"
                            + " under a new run");
                }
                run.load(rs.getString(1));
            }
        }
        return run;
    }

    private void load(String json) {
        if (json == null) {
            return;
        }
        try {
            JSON.readTree(json).properties().forEach(e -> {
                if (counters.containsKey(e.getKey())) {
                    counters.get(e.getKey()).set(e.getValue().asLong());
                } else if (e.getKey().equals("rejected")) {
                    rejected.set(e.getValue().asLong());
                }
            });
        } catch (JsonProcessingException e) {
            LOG.warn("The counters of run {} are not readable JSON; they start again from 0", id);
        }
    }

    long id() {
        return id;
    }

    /** Counts a batch that was written. */
    void written(List<DocumentRecord> batch) {
        for (DocumentRecord record : batch) {
            counters.get(record.outcome().code()).incrementAndGet();
        }
    }

    /** Counts a record the database refused. */
    void rejected() {
        rejected.incrementAndGet();
    }

    long rejectedCount() {
        return rejected.get();
    }

    /** Keeps the heartbeat that tells {@code status} this run is still writing; part of each batch's transaction. */
    void heartbeat(Connection connection) throws SQLException {
        try (PreparedStatement heartbeat = connection.prepareStatement("UPDATE runs SET heartbeat_at = now() WHERE id = ?")) {
            heartbeat.setLong(1, id);
            heartbeat.executeUpdate();
        }
    }

    /** Records the end of the run with its counters. */
    void end(DataSource dataSource, JdbcRetry retry, String description) throws IOException {
        Map<String, Long> values = new LinkedHashMap<>();
        counters.forEach((outcome, count) -> values.put(outcome, count.get()));
        values.put("rejected", rejected.get());
        String json = JSON.writeValueAsString(values);
        retry.run("recording the end of run " + id + " in " + description, () -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement update = connection.prepareStatement(
                            "UPDATE runs SET ended_at = now(), counters = ?::jsonb WHERE id = ?")) {
                update.setString(1, json);
                update.setLong(2, id);
                return update.executeUpdate();
            }
        });
    }

    /** Stores the number of input documents, for an ETA; best effort, a failure is only logged. */
    void recordTotal(DataSource dataSource, long total) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE runs SET total = ? WHERE id = ?")) {
            update.setLong(1, total);
            update.setLong(2, id);
            update.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Recording the input total of run {} failed: {}", id, e.getMessage());
        }
    }
}
