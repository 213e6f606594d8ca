package io.docclassify.sink;

import io.docclassify.concurrent.Backoff;
import io.docclassify.concurrent.TimeSource;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs database work again on transient errors ({@link JdbcErrors#isTransient}), with {@link #BACKOFF}
 * (100 ms doubling to 5 s, jittered), for as long as the outage limit allows. The work must be idempotent.
 * Each retry is logged at WARN with its attempt number and the server's reason (never a password: the
 * description is redacted and the driver does not print it).
 */
final class JdbcRetry {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcResultSink.class);
    static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    interface SqlWork<T> {
        T run() throws SQLException;
    }

    private final String description;
    private final long limitNanos;
    private final TimeSource time;

    JdbcRetry(String description, Duration limit, TimeSource time) {
        this.description = description;
        this.limitNanos = limit.toNanos();
        this.time = time;
    }

    /**
     * The work's result.
     *
     * @param what what the work does, for messages: "writing 100 records to …"
     * @throws IOException on a non-transient error at once, or when the database stayed away past the limit
     */
    <T> T run(String what, SqlWork<T> work) throws IOException {
        long outageStart = 0;
        for (int attempt = 1; ; attempt++) {
            SQLException error;
            try {
                T result = work.run();
                if (attempt > 1) {
                    LOG.warn("{} succeeded at attempt {}, after {} ms of errors", capitalized(what), attempt,
                            TimeUnit.NANOSECONDS.toMillis(time.nanoTime() - outageStart));
                }
                return result;
            } catch (SQLException e) {
                error = e;
            }
            if (!JdbcErrors.isTransient(error)) {
                throw new IOException(what + " failed: " + JdbcErrors.reason(error) + " (SQLState "
                        + error.getSQLState() + ")", error);
            }
            long now = time.nanoTime();
            if (attempt == 1) {
                outageStart = now;
            }
            long remaining = limitNanos - (now - outageStart);
            if (remaining <= 0) {
                long seconds = Math.round((now - outageStart) / 1e9);
                throw new IOException("the results database " + description + " was unreachable for " + seconds
                        + " s (outage limit " + TimeUnit.NANOSECONDS.toSeconds(limitNanos)
                        + " s, JdbcResultSink.outageLimit) while " + what + "; last error: "
                        + JdbcErrors.reason(error) + " (SQLState " + error.getSQLState() + "). The records accepted"
                        + " but not yet written are not recorded; once the database is back, run again with"
                        + " JdbcResultSink.resume to continue", error);
            }
            Duration sleep = BACKOFF.delay(attempt);
            if (sleep.toNanos() > remaining) {
                sleep = Duration.ofNanos(remaining).plusMillis(1);
            }
            LOG.warn("{} failed at attempt {}: {} (SQLState {}); retrying in {} ms", capitalized(what), attempt,
                    JdbcErrors.reason(error), error.getSQLState(), sleep.toMillis());
            try {
                time.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while retrying: " + what);
            }
        }
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
