package io.docclassify.sink;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh schema on the test PostgreSQL server, dropped by {@link #close()}, so test runs never meet.
 *
 * <p>The server is {@code DOCCLASSIFY_TEST_JDBC_URL} (default: trust authentication on 127.0.0.1:5432,
 * database {@code test}). Without a reachable server the calling test is skipped, saying why;
 * {@code .ci/run} makes sure CI has one.
 */
public final class PgTestDatabase implements AutoCloseable {

    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final String baseUrl;
    private final String schema;

    private PgTestDatabase(String baseUrl, String schema) {
        this.baseUrl = baseUrl;
        this.schema = schema;
    }

    /** Creates a schema of its own, or skips the test when the server cannot be reached. */
    public static PgTestDatabase create() {
        String url = System.getenv().getOrDefault("DOCCLASSIFY_TEST_JDBC_URL", DEFAULT_URL);
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            Assumptions.abort("no PostgreSQL server for the JDBC tests at " + url + " (" + e.getMessage()
                    + "); start one or set DOCCLASSIFY_TEST_JDBC_URL");
        }
        return new PgTestDatabase(url, schema);
    }

    /** The JDBC URL whose current schema is this test's own. */
    public String url() {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** A connection to this schema. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    /** The single number a query returns. */
    public long count(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection connection = DriverManager.getConnection(baseUrl); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
