package io.docclassify.sink;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs database work again on transient errors (see {@link JdbcResultSink.Transient}), with exponential
 * backoff and jitter (100 ms doubling to 5 s), for as long as the outage limit allows. The work must be
 * idempotent. Each retry is logged at WARN with its attempt number and the server's reason (never a password:
 * the description is redacted and the driver does not print it).
 */
final class JdbcRetry {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcResultSink.class);
    static final long FIRST_DELAY_MILLIS = 100;
    static final long MAX_DELAY_MILLIS = 5_000;

    interface SqlWork<T> {
        T run() throws SQLException;
    }

    private final String description;
    private final long limitNanos;

    JdbcRetry(String description, long limitNanos) {
        this.description = description;
        this.limitNanos = limitNanos;
    }

    /**
     * The work's result.
     *
     * @param what what the work does, for messages: "writing 100 records to …"
     * @throws IOException on a non-transient error at once, or when the database stayed away past the limit
     */
    <T> T run(String what, SqlWork<T> work) throws IOException {
        long outageStart = 0;
        long delay = FIRST_DELAY_MILLIS;
        for (int attempt = 1; ; attempt++) {
            SQLException error;
            try {
                T result = work.run();
                if (attempt > 1) {
                    LOG.warn("{} succeeded at attempt {}, after {} ms of errors", capitalized(what), attempt,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageStart));
                }
                return result;
            } catch (SQLException e) {
                error = e;
            }
            if (!JdbcResultSink.Transient.is(error)) {
                throw new IOException(what + " failed: " + JdbcResultSink.reason(error) + " (SQLState "
                        + error.getSQLState() + ")", error);
            }
            long now = System.nanoTime();
            if (attempt == 1) {
                outageStart = now;
            }
            long remaining = limitNanos - (now - outageStart);
            if (remaining <= 0) {
                long seconds = Math.round((now - outageStart) / 1e9);
                throw new IOException("the results database " + description + " was unreachable for " + seconds
                        + " s (outage limit " + TimeUnit.NANOSECONDS.toSeconds(limitNanos)
                        + " s, --db-outage-limit) while " + what + "; last error: " + JdbcResultSink.reason(error)
                        + " (SQLState " + error.getSQLState() + "). The records accepted but not yet written are"
                        + " not recorded; once the database is back, run the same command with --resume to continue",
                        error);
            }
            long sleep = Math.min(TimeUnit.NANOSECONDS.toMillis(remaining) + 1,
                    delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1));
            LOG.warn("{} failed at attempt {}: {} (SQLState {}); retrying in {} ms", capitalized(what), attempt,
                    JdbcResultSink.reason(error), error.getSQLState(), sleep);
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while retrying: " + what);
            }
            delay = Math.min(delay * 2, MAX_DELAY_MILLIS);
        }
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
