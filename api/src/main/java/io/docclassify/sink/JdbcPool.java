package io.docclassify.sink;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.docclassify.ConfigurationException;
import io.docclassify.run.RunMetrics;
import java.io.IOException;

/**
 * The sink's own small connection pool on a JDBC URL, and keeping the password out of what the sink shows.
 */
final class JdbcPool {

    private JdbcPool() {}

    /** Checks that {@code url} is a PostgreSQL URL, saying so without its password otherwise. */
    static String checkUrl(String url) {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new ConfigurationException("JdbcResultSink.url", redactUrl(url), "the database URL must start with"
                    + " jdbc:postgresql:, got '" + redactUrl(url) + "'; for example jdbc:postgresql://localhost:5432/docs");
        }
        return url;
    }

    /** A pool of up to four connections that fails at once, with the cause, when the server is unreachable. */
    static HikariDataSource open(String url, String user, String password, RunMetrics metrics) {
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
        // A half-open connection (a network partition, not a server stop) would otherwise hang a query
        // forever; a batch takes well under a second, so 120 s only ends dead connections, and the retry
        // loop then takes over.
        config.addDataSourceProperty("socketTimeout", "120");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        if (metrics != RunMetrics.none()) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics.registry()));
        }
        return new HikariDataSource(config);
    }

    /** The URL with any password in it replaced by {@code ***}. */
    static String redactUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//[^/@]*:[^/@]*@", "//***@");
    }

    /**
     * An {@link IOException} saying {@code context} and {@code e}'s message without the password; the cause
     * is dropped when its text holds the password, since stack traces print it.
     */
    static IOException redacted(String context, Exception e, String password) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        boolean leaks = password != null && !password.isEmpty() && (message.contains(password)
                || String.valueOf(e.getCause()).contains(password));
        if (password != null && !password.isEmpty()) {
            message = message.replace(password, "***");
        }
        message = redactUrl(message);
        return leaks ? new IOException(context + ": " + message) : new IOException(context + ": " + message, e);
    }
}
