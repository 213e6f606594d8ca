package io.docclassify.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.docclassify.ConfigurationException;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.run.RunMetrics;
import io.docclassify.spi.PriorResults;
import io.docclassify.spi.ResultSink;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records to PostgreSQL, in batches, one row per distinct content plus one row per path.
 *
 * <p>Thread-safe. Records are buffered and written when {@code batchSize} records are waiting or
 * {@code flushInterval} has passed (a daemon timer sees to that), and on {@link #flush()} and
 * {@link #close()}. Each batch is one transaction of JDBC batches (with {@code reWriteBatchedInserts}
 * when the sink owns the pool), so after a crash the database holds whole batches only.
 *
 * <p>Tables (created or migrated on open, see {@code JdbcSchema}): {@code documents}, one row per
 * sha256 with the best result so far; {@code document_paths}, every (path, sha256) seen, duplicates
 * included; {@code unread_paths}, files that could not be hashed; {@code runs}, one row per sink.
 *
 * <p>A stored result is replaced only by a better one: a classification replaces a failure, and a
 * result with the same outcome from a different classifier id replaces the stored one (a new model).
 * NUL characters, which PostgreSQL refuses in text, are removed from every text value; all other
 * characters travel as bind parameters, unchanged. When a batch is refused for its data, its records
 * are written one at a time and each one still refused is logged with the reason and counted in
 * {@link #rejected()}; none is dropped silently.
 *
 * <p>Transient errors (connection refused or lost, SQLState classes 08 and 57P, serialization failures
 * and deadlocks) are retried with exponential backoff and jitter (100 ms doubling to 5 s), re-running
 * the whole batch transaction, which is idempotent. While one batch is being retried, at most
 * {@code 2 x batchSize} more records wait; then {@link #accept} blocks (backpressure), so memory stays
 * bounded by {@code 3 x batchSize} records. When the database stays away longer than the outage limit
 * (default 300 s) the sink fails with an {@link IOException} that says so; the records it held then
 * are not recorded, so a run with {@code --resume} redoes them.
 *
 * <p>A password is never part of {@link #toString()}, a log line or an exception message.
 */
public final class JdbcResultSink implements ResultSink {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcResultSink.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_OUTAGE_LIMIT = Duration.ofSeconds(300);

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
    private static final String INSERT_PATH =
            "INSERT INTO document_paths (sha256, path, run_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String HEARTBEAT = "UPDATE runs SET heartbeat_at = now() WHERE id = ?";
    private static final String INSERT_UNREAD = """
            INSERT INTO unread_paths (path, bytes, failure_reason, failure_message, run_id)
            VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """;

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final String description;
    private final int batchSize;
    private final long flushIntervalNanos;
    private final long runId;
    private final boolean embeddingIsVector;
    private final String upsertDocument;
    private final JdbcPriorResults prior;
    private final ScheduledExecutorService timer;
    private final Map<String, AtomicLong> counters = new LinkedHashMap<>();
    private final AtomicLong rejected = new AtomicLong();
    private final JdbcRetry retry;
    private final RunMetrics metrics;
    private final int waitingLimit;
    /** Guards every field below; released while a batch is written, so others may add to the buffer. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<DocumentRecord> buffer = new ArrayList<>();
    private int inFlight;
    private int maxBuffered;
    private boolean writing;
    private long lastWrite = System.nanoTime();
    private boolean closed;
    private IOException failure;

    private JdbcResultSink(Builder builder, DataSource dataSource, HikariDataSource ownedPool) throws SQLException {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.description = builder.description();
        this.batchSize = builder.batchSize;
        this.flushIntervalNanos = builder.flushInterval.toNanos();
        this.retry = new JdbcRetry(description, builder.outageLimit.toNanos());
        this.metrics = builder.metrics;
        this.waitingLimit = 2 * builder.batchSize;
        for (String outcome : List.of("classified", "failed", "duplicate")) {
            counters.put(outcome, new AtomicLong());
        }
        try (Connection connection = dataSource.getConnection()) {
            JdbcSchema.migrate(connection);
            this.embeddingIsVector = JdbcSchema.embeddingIsVector(connection);
            if (builder.continuedRun == null) {
                this.runId = startRun(connection, builder.engine, builder.configurationJson);
            } else {
                this.runId = builder.continuedRun;
                continueRun(connection, runId, counters, rejected);
            }
        }
        this.upsertDocument = UPSERT_DOCUMENT.formatted(embeddingIsVector ? "vector" : "real[]");
        this.prior = new JdbcPriorResults(dataSource, builder.resume, retry);
        if (builder.flushInterval.isZero()) {
            timer = null;
        } else {
            timer = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "docclassify-jdbc-flush");
                thread.setDaemon(true);
                return thread;
            });
            long millis = Math.max(1, builder.flushInterval.toMillis());
            timer.scheduleWithFixedDelay(this::writeIfDue, millis, millis, TimeUnit.MILLISECONDS);
        }
        LOG.info("Writing results to {}, run {}", description, runId);
    }

    /** A sink on a pool the host owns and closes; the sink only borrows connections from it. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"), null);
    }

    /** A sink with its own small pool on {@code jdbcUrl}, such as {@code jdbc:postgresql://host:5432/db}. */
    public static Builder builder(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigurationException("the database URL must start with jdbc:postgresql:, got '"
                    + Redact.url(jdbcUrl) + "'; for example jdbc:postgresql://localhost:5432/docs");
        }
        return new Builder(null, jdbcUrl);
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
        private boolean resume;
        private Long continuedRun;
        private String engine;
        private String configurationJson;
        private RunMetrics metrics = RunMetrics.none();

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
            if (batchSize < 1) {
                throw new ConfigurationException("batch size must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** The longest a record waits in the buffer; zero writes only on size, flush and close. */
        public Builder flushInterval(Duration flushInterval) {
            if (flushInterval.isNegative()) {
                throw new ConfigurationException("flush interval must be >= 0, got " + flushInterval);
            }
            this.flushInterval = flushInterval;
            return this;
        }

        /**
         * How long the database may stay unreachable (transient errors retried) before the sink fails and
         * the run stops; the records not written by then are not recorded, so {@code --resume} redoes them.
         */
        public Builder outageLimit(Duration outageLimit) {
            if (outageLimit.isNegative() || outageLimit.isZero()) {
                throw new ConfigurationException("outage limit must be > 0, got " + outageLimit);
            }
            this.outageLimit = outageLimit;
            return this;
        }

        /**
         * Whether paths already recorded are skipped without a new record. Either way, content the
         * database already holds a result for is not classified again (it is recorded as a duplicate).
         */
        public Builder resume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /**
         * Continues the run with this id instead of starting a new one: its {@code runs} row is reopened,
         * its counters go on from where they stopped, and paths it already recorded are skipped (this
         * implies {@link #resume(boolean) resume(true)}).
         */
        public Builder continueRun(long id) {
            if (id < 1) {
                throw new ConfigurationException("a run id is a positive number, got " + id);
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

        String description() {
            return url != null ? Redact.url(url) + (user != null ? " as " + user : "") : "the host's DataSource";
        }

        /**
         * Connects, creates or migrates the schema and records a new run.
         *
         * @throws IOException when the database cannot be reached or refuses the schema, saying which database
         */
        public JdbcResultSink build() throws IOException {
            if (dataSource != null && (user != null || password != null)) {
                throw new ConfigurationException("user and password go with a JDBC URL; a DataSource brings its own");
            }
            HikariDataSource pool = null;
            DataSource source = dataSource;
            try {
                if (url != null) {
                    HikariConfig config = new HikariConfig();
                    config.setJdbcUrl(url);
                    config.setUsername(user);
                    config.setPassword(password);
                    config.setMaximumPoolSize(4);
                    config.setPoolName("docclassify-results");
                    config.setInitializationFailTimeout(1); // unreachable: fail at once, with the cause
                    // A dead server: getConnection gives up after 3 s, so each retry is bounded in time.
                    config.setConnectionTimeout(3_000);
                    config.setValidationTimeout(2_000);
                    config.addDataSourceProperty("connectTimeout", "3");
                    // A half-open connection (a network partition, not a server stop) would otherwise hang a
                    // query forever; a batch takes well under a second, so 120 s only ends dead connections,
                    // and the retry loop then takes over.
                    config.addDataSourceProperty("socketTimeout", "120");
                    config.addDataSourceProperty("tcpKeepAlive", "true");
                    config.addDataSourceProperty("reWriteBatchedInserts", "true");
                    if (metrics != RunMetrics.none()) {
                        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics.registry()));
                    }
                    pool = new HikariDataSource(config);
                    source = pool;
                }
                return new JdbcResultSink(this, source, pool);
            } catch (SQLException | RuntimeException e) {
                if (pool != null) {
                    pool.close();
                }
                if (e instanceof ConfigurationException c) {
                    throw c;
                }
                throw Redact.exception("cannot open the results database " + description(), e, password);
            }
        }
    }

    private static long startRun(Connection connection, String engine, String configurationJson) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO runs (engine, configuration) VALUES (?, ?::jsonb) RETURNING id")) {
            insert.setString(1, Text.clean(engine));
            insert.setString(2, Text.clean(configurationJson));
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Reopens run {@code id} and loads its counters, or says that the database has no such run. */
    private static void continueRun(Connection connection, long id, Map<String, AtomicLong> counters,
            AtomicLong rejected) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE runs SET ended_at = NULL, heartbeat_at = now() WHERE id = ? RETURNING counters::text")) {
            update.setLong(1, id);
            try (ResultSet rs = update.executeQuery()) {
                if (!rs.next()) {
                    throw new ConfigurationException("the results database has no run " + id
                            + "; 'doc-classify status --db URL' shows the latest run, or leave out the id to resume"
                            + " under a new run");
                }
                String json = rs.getString(1);
                if (json != null) {
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
            }
        }
    }

    /** The id of this run's {@code runs} row. */
    public long runId() {
        return runId;
    }

    /**
     * Stores how many documents the run's input holds, so {@code doc-classify status} can tell an ETA.
     * Best effort: a failure is logged, never thrown, since the total is only for display.
     */
    public void recordTotal(long total) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE runs SET total = ? WHERE id = ?")) {
            update.setLong(1, total);
            update.setLong(2, runId);
            update.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Recording the input total of run {} failed: {}", runId, e.getMessage());
        }
    }

    /** Records the database refused even one at a time (each was logged with its reason). */
    public long rejected() {
        return rejected.get();
    }

    /** Records held in memory now: waiting in the buffer plus the batch being written. */
    int buffered() {
        lock.lock();
        try {
            return buffer.size() + inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** The most records held in memory at once so far; never more than {@link #bufferBound()}. */
    int maxBuffered() {
        lock.lock();
        try {
            return maxBuffered;
        } finally {
            lock.unlock();
        }
    }

    /** The most records the sink holds: a batch being written and twice the batch size waiting. */
    int bufferBound() {
        return batchSize + waitingLimit;
    }

    @Override
    public void accept(DocumentRecord record) throws IOException {
        Objects.requireNonNull(record, "record");
        lock.lock();
        try {
            // Backpressure: while a batch is being written (or retried), only so many records may wait.
            while (writing && buffer.size() >= waitingLimit && failure == null && !closed) {
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the results database "
                            + description + "; record for " + record.path() + " not written");
                }
            }
            if (closed) {
                throw new IOException("results database " + description + " is closed; record for "
                        + record.path() + " not written");
            }
            checkFailure();
            buffer.add(record);
            maxBuffered = Math.max(maxBuffered, buffer.size() + inFlight);
            if (!writing && (buffer.size() >= batchSize
                    || flushIntervalNanos > 0 && System.nanoTime() - lastWrite >= flushIntervalNanos)) {
                drain(buffer.size() < batchSize);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() throws IOException {
        lock.lock();
        try {
            if (!closed) {
                flushLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    private void flushLocked() throws IOException {
        awaitWriter();
        checkFailure();
        drain(true);
    }

    /** Waits until no other thread writes a batch. */
    private void awaitWriter() throws IOException {
        while (writing) {
            try {
                changed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a write to " + description);
            }
        }
    }

    private void checkFailure() throws IOException {
        if (failure != null) {
            throw new IOException("an earlier write to " + description + " failed; no record is written after it: "
                    + failure.getMessage(), failure);
        }
    }

    @Override
    public PriorResults priorResults() {
        return prior;
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                flushLocked();
                endRun();
            } finally {
                closed = true;
                changed.signalAll();
                if (timer != null) {
                    timer.shutdownNow();
                }
                if (ownedPool != null) {
                    ownedPool.close();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "JdbcResultSink[" + description + ", run " + runId + "]";
    }

    private void writeIfDue() {
        lock.lock();
        try {
            if (!closed && !writing && failure == null && !buffer.isEmpty()
                    && System.nanoTime() - lastWrite >= flushIntervalNanos) {
                drain(true);
            }
        } catch (IOException e) {
            // Remembered in `failure`: the next accept, flush or close reports it and stops the run.
            LOG.warn("Writing results to {} failed: {}", description, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the buffer in batches of at most {@code batchSize}: while a full batch waits, or until the
     * buffer is empty when {@code all}. Called holding the lock once, with no other writer; the lock is
     * released while a batch is written, so others may add up to {@link #waitingLimit} records meanwhile.
     */
    private void drain(boolean all) throws IOException {
        writing = true;
        try {
            while (failure == null && (buffer.size() >= batchSize || all && !buffer.isEmpty())) {
                List<DocumentRecord> slice = buffer.subList(0, Math.min(batchSize, buffer.size()));
                List<DocumentRecord> batch = new ArrayList<>(slice);
                slice.clear();
                inFlight = batch.size();
                changed.signalAll(); // room in the buffer
                IOException error = null;
                lock.unlock();
                try {
                    writeWithRetries(batch);
                } catch (IOException e) {
                    error = e;
                } finally {
                    lock.lock();
                }
                inFlight = 0;
                if (error != null) {
                    int lost = batch.size() + buffer.size();
                    buffer.clear();
                    LOG.error("{} records accepted but not written to {} are not recorded; a run with --resume "
                            + "processes them again", lost, description);
                    failure = error;
                    throw error;
                }
                for (DocumentRecord record : batch) {
                    counters.get(record.outcome().code()).incrementAndGet();
                }
                lastWrite = System.nanoTime();
            }
            if (buffer.isEmpty()) {
                lastWrite = System.nanoTime();
            }
        } finally {
            writing = false;
            changed.signalAll();
        }
    }

    /** Writes one batch, retrying transient errors; the batch is one idempotent transaction. */
    private void writeWithRetries(List<DocumentRecord> batch) throws IOException {
        long start = System.nanoTime();
        retry.run("writing " + batch.size() + " records to " + description, () -> {
            writeBatch(batch);
            return null;
        });
        metrics.sinkBatch("jdbc", batch.size(), System.nanoTime() - start);
    }

    private void writeBatch(List<DocumentRecord> batch) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                writeInTransactions(connection, batch);
            } finally {
                // A host's pool may not reset what the sink changed on its connections.
                connection.setAutoCommit(true);
            }
        }
    }

    /** One transaction for the batch; if its data is refused, one per record. */
    private void writeInTransactions(Connection connection, List<DocumentRecord> batch) throws SQLException {
        try {
            write(connection, batch);
            connection.commit();
            return;
        } catch (SQLException e) {
            connection.rollback();
            if (Transient.is(e)) {
                throw e;
            }
            LOG.warn("A batch of {} records was refused ({}); writing them one at a time", batch.size(),
                    reason(e));
        }
        for (DocumentRecord record : batch) {
            try {
                write(connection, List.of(record));
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                if (Transient.is(e)) {
                    throw e;
                }
                rejected.incrementAndGet();
                LOG.error("The results database refused the record for {}: {} (SQLState {})", record.path(),
                        reason(e), e.getSQLState());
            }
        }
    }

    /** The server's words, without the batch's SQL and values that the driver puts around them. */
    static String reason(SQLException e) {
        SQLException cause = e.getNextException() != null ? e.getNextException() : e;
        String message = String.valueOf(cause.getMessage());
        int cut = message.indexOf("\n");
        return cut < 0 ? message : message.substring(0, cut);
    }

    private void write(Connection connection, List<DocumentRecord> batch) throws SQLException {
        try (PreparedStatement documents = connection.prepareStatement(upsertDocument);
                PreparedStatement paths = connection.prepareStatement(INSERT_PATH);
                PreparedStatement unread = connection.prepareStatement(INSERT_UNREAD)) {
            int documentRows = 0;
            int pathRows = 0;
            int unreadRows = 0;
            // One statement may not update a row twice, so only the best result per content goes in.
            for (DocumentRecord record : BestPerContent.of(batch)) {
                bindDocument(documents, record);
                documents.addBatch();
                documentRows++;
            }
            for (DocumentRecord record : batch) {
                if (record.sha256() == null) {
                    String reason = record.outcome() instanceof Outcome.Failed f ? f.reason() : "unread";
                    String message = record.outcome() instanceof Outcome.Failed f ? f.message() : null;
                    unread.setString(1, Text.clean(record.path()));
                    setLong(unread, 2, record.bytes());
                    unread.setString(3, Text.clean(reason));
                    unread.setString(4, Text.clean(message));
                    unread.setLong(5, runId);
                    unread.addBatch();
                    unreadRows++;
                } else {
                    paths.setString(1, record.sha256());
                    paths.setString(2, Text.clean(record.path()));
                    paths.setLong(3, runId);
                    paths.addBatch();
                    pathRows++;
                }
            }
            if (documentRows > 0) {
                documents.executeBatch();
            }
            if (pathRows > 0) {
                paths.executeBatch();
            }
            if (unreadRows > 0) {
                unread.executeBatch();
            }
        }
        try (PreparedStatement heartbeat = connection.prepareStatement(HEARTBEAT)) {
            heartbeat.setLong(1, runId);
            heartbeat.executeUpdate();
        }
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
        statement.setString(2, Text.clean(label));
        if (confidence == null) {
            statement.setNull(3, Types.DOUBLE);
        } else {
            statement.setDouble(3, confidence);
        }
        statement.setString(4, scores);
        setInt(statement, 5, record.pages());
        setInt(statement, 6, record.chars());
        statement.setString(7, Text.clean(record.mediaType()));
        statement.setString(8, record.outcome().code());
        statement.setString(9, stage);
        statement.setString(10, Text.clean(reason));
        statement.setString(11, Text.clean(message));
        statement.setString(12, Text.clean(record.classifier()));
        setLong(statement, 13, record.bytes());
        statement.setLong(14, runId);
        statement.setString(15, Text.clean(rationale));
        statement.setString(16, Text.clean(decidedBy));
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
        scores.forEach((label, score) -> clean.put(Text.clean(label), score));
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

    private void endRun() throws IOException {
        Map<String, Long> values = new LinkedHashMap<>();
        counters.forEach((outcome, count) -> values.put(outcome, count.get()));
        values.put("rejected", rejected.get());
        String json = JSON.writeValueAsString(values);
        retry.run("recording the end of run " + runId + " in " + description, () -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement update = connection.prepareStatement(
                            "UPDATE runs SET ended_at = now(), counters = ?::jsonb WHERE id = ?")) {
                update.setString(1, json);
                update.setLong(2, runId);
                return update.executeUpdate();
            }
        });
    }

    /** Which SQL errors are about the connection or the server's state, not about the data. */
    static final class Transient {
        private Transient() {}

        static boolean is(SQLException e) {
            String state = e.getSQLState();
            return state == null || state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                    || state.equals("57P03") || state.startsWith("53")
                    || state.equals("40001") || state.equals("40P01")
                    || e instanceof SQLTransientException || e instanceof SQLRecoverableException;
        }
    }

    /** Ranks results the way the upsert does, to keep one row per content within a batch. */
    static final class BestPerContent {
        private BestPerContent() {}

        static List<DocumentRecord> of(List<DocumentRecord> batch) {
            Map<String, DocumentRecord> best = new LinkedHashMap<>();
            for (DocumentRecord record : batch) {
                if (record.sha256() == null || record.outcome() instanceof Outcome.Duplicate) {
                    continue;
                }
                best.merge(record.sha256(), record, (old, candidate) -> replaces(candidate, old) ? candidate : old);
            }
            return new ArrayList<>(best.values());
        }

        static boolean replaces(DocumentRecord candidate, DocumentRecord old) {
            boolean classified = candidate.outcome() instanceof Outcome.Classified;
            boolean wasClassified = old.outcome() instanceof Outcome.Classified;
            return classified && !wasClassified
                    || classified == wasClassified && !Objects.equals(candidate.classifier(), old.classifier());
        }
    }

    /** Text as PostgreSQL accepts it. */
    static final class Text {
        private Text() {}

        /** Removes NUL characters, which PostgreSQL refuses in text and jsonb; keeps everything else. */
        static String clean(String value) {
            return value == null || value.indexOf('\0') < 0 ? value : value.replace("\0", "");
        }
    }

    /** Keeps passwords out of what the sink shows. */
    static final class Redact {
        private Redact() {}

        static String url(String url) {
            return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//[^/@]*:[^/@]*@", "//***@");
        }

        static IOException exception(String context, Exception e, String password) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            boolean leaks = password != null && !password.isEmpty() && (message.contains(password)
                    || String.valueOf(e.getCause()).contains(password));
            if (password != null && !password.isEmpty()) {
                message = message.replace(password, "***");
            }
            message = url(message);
            // The cause is dropped when its text holds the password, since stack traces print it.
            return leaks ? new IOException(context + ": " + message) : new IOException(context + ": " + message, e);
        }
    }
}
