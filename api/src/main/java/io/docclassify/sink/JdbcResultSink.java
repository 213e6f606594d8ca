package io.docclassify.sink;

import com.zaxxer.hikari.HikariDataSource;
import io.docclassify.ConfigurationException;
import io.docclassify.concurrent.TimeSource;
import io.docclassify.run.RunMetrics;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records to PostgreSQL, in batches, one row per distinct content plus one row per path.
 *
 * <p>Thread-safe; buffering, the flush timer and back-pressure are {@link BatchingSink}'s. Each batch is one
 * transaction of JDBC batches (with {@code reWriteBatchedInserts} when the sink owns the pool), so after a
 * crash the database holds whole batches only.
 *
 * <p>Tables (created or migrated on open, see {@code JdbcSchema}): {@code documents}, one row per sha256 with
 * the best result so far; {@code document_paths}, every (path, sha256) seen, duplicates included;
 * {@code unread_paths}, files that could not be hashed; {@code runs}, one row per sink.
 *
 * <p>A stored result is replaced only by a better one: a classification replaces a failure, and a result
 * with the same outcome from a different classifier id replaces the stored one (a new model). NUL
 * characters, which PostgreSQL refuses in text, are removed from every text value; all other characters
 * travel as bind parameters, unchanged. When a batch is refused for its data, its records are written one
 * at a time and each one still refused is logged with the reason and counted in {@link #rejected()}.
 *
 * <p>Transient errors (connection refused or lost, SQLState classes 08 and 57P, serialization failures and
 * deadlocks) are retried with backoff, re-running the whole batch transaction, which is idempotent; while a
 * batch is retried, intake pauses at {@link #bufferBound()} records. When the database stays away longer
 * than the outage limit (default 300 s) the sink fails with an {@link IOException} that says so; the records
 * it held then are not recorded, so a resumed run redoes them.
 *
 * <p>A password is never part of {@link #toString()}, a log line or an exception message.
 */
public final class JdbcResultSink extends BatchingSink {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcResultSink.class);

    public static final int DEFAULT_BATCH_SIZE = BatchingSink.DEFAULT_BATCH_SIZE;
    public static final Duration DEFAULT_FLUSH_INTERVAL = BatchingSink.DEFAULT_FLUSH_INTERVAL;
    public static final Duration DEFAULT_OUTAGE_LIMIT = Duration.ofSeconds(300);

    private final DataSource dataSource;
    private final String description;
    private final JdbcRuns run;

    private JdbcResultSink(Builder builder, DataSource dataSource, JdbcBatchWriter writer, JdbcRuns run) {
        super(writer, builder.batchSize, builder.flushInterval, builder.metrics, builder.time);
        this.dataSource = dataSource;
        this.description = builder.description();
        this.run = run;
    }

    /** A sink on a pool the host owns and closes; the sink only borrows connections from it. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"), null);
    }

    /** A sink with its own small pool on {@code jdbcUrl}, such as {@code jdbc:postgresql://host:5432/db}. */
    public static Builder builder(String jdbcUrl) {
        return new Builder(null, JdbcPool.checkUrl(Objects.requireNonNull(jdbcUrl, "jdbcUrl")));
    }

    /** The id of this run's {@code runs} row. */
    public long runId() {
        return run.id();
    }

    /**
     * Stores how many documents the run's input holds, so a status display can tell an ETA. Best effort:
     * a failure is logged, never thrown, since the total is only for display.
     */
    public void recordTotal(long total) {
        run.recordTotal(dataSource, total);
    }

    /** Records the database refused even one at a time (each was logged with its reason). */
    public long rejected() {
        return run.rejectedCount();
    }

    @Override
    public String toString() {
        return "JdbcResultSink[" + description + ", run " + run.id() + "]";
    }

    /** Settings of a {@link JdbcResultSink}; each method checks its value. */
    public static final class Builder {
        private final DataSource dataSource;
        private final String url;
        private String user;
        private String password;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
        private Duration outageLimit = DEFAULT_OUTAGE_LIMIT;
        private Boolean resume;
        private Long continuedRun;
        private String engine;
        private String configurationJson;
        private RunMetrics metrics = RunMetrics.none();
        private TimeSource time = TimeSource.system();

        private Builder(DataSource dataSource, String url) {
            this.dataSource = dataSource;
            this.url = url;
        }

        /** The database user; only with a URL. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** The password; only with a URL. Never logged nor shown. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = checkBatchSize("JdbcResultSink.batchSize", batchSize);
            return this;
        }

        /** The longest a record waits in the buffer; zero writes only on size, flush and close. */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = checkFlushInterval("JdbcResultSink.flushInterval", flushInterval);
            return this;
        }

        /**
         * How long the database may stay unreachable (transient errors retried) before the sink fails and the
         * run stops; the records not written by then are not recorded, so a resumed run redoes them.
         */
        public Builder outageLimit(Duration outageLimit) {
            if (outageLimit == null || outageLimit.isNegative() || outageLimit.isZero()) {
                throw new ConfigurationException("JdbcResultSink.outageLimit", outageLimit,
                        "JdbcResultSink.outageLimit must be > 0, got " + outageLimit);
            }
            this.outageLimit = outageLimit;
            return this;
        }

        /**
         * Whether paths already recorded are skipped without a new record. Either way, content the database
         * already holds a result for is not classified again (it is recorded as a duplicate).
         *
         * @throws ConfigurationException after {@link #continueRun}, which implies resume
         */
        public Builder resume(boolean resume) {
            if (continuedRun != null) {
                throw new ConfigurationException("JdbcResultSink.resume", resume, "JdbcResultSink.resume was already"
                        + " set by JdbcResultSink.continueRun(" + continuedRun + "), which implies it; give one of them");
            }
            this.resume = resume;
            return this;
        }

        /**
         * Continues the run with this id instead of starting a new one: its {@code runs} row is reopened, its
         * counters go on from where they stopped, and paths it already recorded are skipped (this implies
         * {@link #resume(boolean) resume(true)}).
         *
         * @throws ConfigurationException after {@code resume(false)}, which contradicts it
         */
        public Builder continueRun(long id) {
            if (id < 1) {
                throw new ConfigurationException("JdbcResultSink.continueRun", id,
                        "JdbcResultSink.continueRun takes a run id, a positive number, got " + id);
            }
            if (Boolean.FALSE.equals(resume)) {
                throw new ConfigurationException("JdbcResultSink.continueRun", id, "JdbcResultSink.continueRun("
                        + id + ") resumes a run, and JdbcResultSink.resume was already set to false");
            }
            this.continuedRun = id;
            this.resume = true;
            return this;
        }

        /** What the {@code runs} row says about this run: the engine, and the configuration as a JSON object. */
        public Builder run(String engine, String configurationJson) {
            this.engine = engine;
            this.configurationJson = configurationJson;
            return this;
        }

        /**
         * Where batch sizes and write times go ({@code docclassify.sink.*}); the sink's own pool (with a URL)
         * also reports HikariCP's {@code hikaricp.connections.*} there. A host's DataSource binds its own.
         */
        public Builder metrics(RunMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** The clock of the flush timer and of the retries; tests move it by hand. */
        Builder time(TimeSource time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        String description() {
            return url != null ? JdbcPool.redactUrl(url) + (user != null ? " as " + user : "") : "the host's DataSource";
        }

        /**
         * Connects, creates or migrates the schema and records a new run.
         *
         * @throws IOException when the database cannot be reached or refuses the schema, saying which database
         */
        public JdbcResultSink build() throws IOException {
            if (dataSource != null && (user != null || password != null)) {
                throw new ConfigurationException("JdbcResultSink.user", user, "JdbcResultSink.user and"
                        + " JdbcResultSink.password go with a JDBC URL; a DataSource brings its own");
            }
            HikariDataSource pool = null;
            try {
                if (url != null) {
                    pool = JdbcPool.open(url, user, password, metrics);
                }
                DataSource source = pool != null ? pool : dataSource;
                JdbcRetry retry = new JdbcRetry(description(), outageLimit, time);
                JdbcRuns run;
                boolean embeddingIsVector;
                try (Connection connection = source.getConnection()) {
                    JdbcSchema.migrate(connection);
                    embeddingIsVector = JdbcSchema.embeddingIsVector(connection);
                    run = continuedRun == null ? JdbcRuns.start(connection, engine, configurationJson)
                            : JdbcRuns.reopen(connection, continuedRun);
                }
                JdbcPriorResults prior = new JdbcPriorResults(source, Boolean.TRUE.equals(resume), retry);
                JdbcBatchWriter writer = new JdbcBatchWriter(source, pool, description(), run, retry,
                        embeddingIsVector, prior);
                LOG.info("Writing results to {}, run {}", description(), run.id());
                return new JdbcResultSink(this, source, writer, run);
            } catch (SQLException | RuntimeException e) {
                if (pool != null) {
                    pool.close();
                }
                if (e instanceof ConfigurationException c) {
                    throw c;
                }
                throw JdbcPool.redacted("cannot open the results database " + description(), e, password);
            }
        }
    }
}
