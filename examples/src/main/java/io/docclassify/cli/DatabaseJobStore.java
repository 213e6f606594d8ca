package io.docclassify.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.docclassify.DocumentClassifier;
import io.docclassify.run.RunMetrics;
import io.docclassify.sink.JdbcResultSink;
import io.docclassify.sink.RecordJson;
import io.docclassify.spi.ResultSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Jobs in PostgreSQL ({@code --db}): each job's records are a run of the results database (a job that continues
 * another continues its run), and the jobs themselves are rows of {@code service_jobs}, so that they are listed
 * again after a restart of the service.
 */
final class DatabaseJobStore implements JobStore {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int FETCH_SIZE = 1_000;

    private final RunOptions options;
    private final DbOptions connection;
    private final Map<String, String> environment;
    private final RunMetrics metrics;

    DatabaseJobStore(RunOptions options, Map<String, String> environment, RunMetrics metrics) throws IOException {
        this.options = options;
        this.environment = environment;
        this.metrics = metrics;
        this.connection = new DbOptions();
        connection.db = options.db;
        connection.dbUser = options.dbUser;
        connection.dbPassword = options.dbPassword;
        try (Connection c = connection.connect(environment); Statement statement = c.createStatement()) {
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS service_jobs (
                        id text PRIMARY KEY,
                        state text NOT NULL,
                        request jsonb NOT NULL,
                        run_id bigint,
                        documents bigint,
                        counters jsonb,
                        resumed_from text,
                        error text,
                        created_at timestamptz NOT NULL,
                        started_at timestamptz,
                        ended_at timestamptz
                    )""");
        } catch (SQLException e) {
            throw new IOException("cannot create the table service_jobs in " + DbOptions.redact(options.db) + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public ResultSink open(Job job, Job previous, DocumentClassifier classifier) throws IOException {
        JdbcResultSink.Builder builder = options.database(environment).metrics(metrics)
                .run(classifier.engineName(), SinkChoice.configuration(classifier));
        if (previous != null && previous.runId() != null) {
            builder.continueRun(previous.runId());
        }
        JdbcResultSink sink = builder.build();
        job.runId(sink.runId());
        save(job);
        return sink;
    }

    @Override
    public void results(Job job, OutputStream out) throws IOException {
        if (job.runId() == null) {
            return;
        }
        try (Connection c = connection.connect(environment)) {
            c.setAutoCommit(false); // a cursor: rows arrive FETCH_SIZE at a time
            try (PreparedStatement query = c.prepareStatement(ExportCommand.sql(true, DbOptions.schemaVersion(c)))) {
                query.setFetchSize(FETCH_SIZE);
                query.setLong(1, job.runId());
                query.setLong(2, job.runId());
                try (ResultSet rs = query.executeQuery()) {
                    ExportCommand.Records records = new ExportCommand.Records(rs);
                    while (records.hasNext()) {
                        out.write((RecordJson.toJson(records.next()) + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                }
            } catch (ExportCommand.UncheckedSqlException e) {
                throw e.getCause();
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the results of job " + job.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void save(Job job) throws IOException {
        try (Connection c = connection.connect(environment);
                PreparedStatement upsert = c.prepareStatement("""
                        INSERT INTO service_jobs (id, state, request, run_id, documents, counters, resumed_from, error,
                            created_at, started_at, ended_at)
                        VALUES (?, ?, ?::jsonb, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET state = excluded.state, run_id = excluded.run_id,
                            documents = excluded.documents, counters = excluded.counters, error = excluded.error,
                            started_at = excluded.started_at, ended_at = excluded.ended_at""")) {
            upsert.setString(1, job.id());
            upsert.setString(2, job.state().code());
            upsert.setString(3, job.request().toJson().toString());
            upsert.setObject(4, job.runId());
            upsert.setObject(5, job.documents());
            upsert.setString(6, job.countsJson().toString());
            upsert.setString(7, job.resumedFrom());
            upsert.setString(8, job.error());
            upsert.setTimestamp(9, Timestamp.from(job.createdAt()));
            upsert.setTimestamp(10, job.startedAt() == null ? null : Timestamp.from(job.startedAt()));
            upsert.setTimestamp(11, job.endedAt() == null ? null : Timestamp.from(job.endedAt()));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("cannot save job " + job.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Job> load() throws IOException {
        List<Job> jobs = new ArrayList<>();
        try (Connection c = connection.connect(environment);
                Statement statement = c.createStatement();
                ResultSet rs = statement.executeQuery("""
                        SELECT id, state, request::text, run_id, documents, counters::text, resumed_from, error,
                            created_at, started_at, ended_at
                        FROM service_jobs ORDER BY created_at, id""")) {
            while (rs.next()) {
                JsonNode request = JSON.readTree(rs.getString(3));
                jobs.add(Job.restored(rs.getString(1), JobRequest.fromStored(request), Job.State.fromCode(rs.getString(2)),
                        instant(rs.getTimestamp(9)), instant(rs.getTimestamp(10)), instant(rs.getTimestamp(11)),
                        (Long) rs.getObject(5), Job.countsFrom(rs.getString(6) == null ? null : JSON.readTree(rs.getString(6))),
                        (Long) rs.getObject(4), rs.getString(7), rs.getString(8)));
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the jobs of " + DbOptions.redact(options.db) + ": " + e.getMessage(), e);
        }
        return jobs;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        return DbOptions.redact(options.db);
    }
}
