package io.docclassify.sink;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh schema on the test PostgreSQL server, dropped by {@link #close()}, so test runs never meet.
 *
 * <p>The server is {@code DOCCLASSIFY_TEST_JDBC_URL} (default: trust authentication on 127.0.0.1:5432,
 * database {@code test}). Without a reachable server the calling test is skipped, saying why;
 * {@code .ci/run} makes sure CI has one. Either {@link #create()} one in a try-with-resources block, or
 * register {@link #perTest()} as an extension for a schema per test method.
 */
public final class PgTestDatabase implements AutoCloseable, BeforeEachCallback, AfterEachCallback {

    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final String baseUrl;
    private String schema;

    private PgTestDatabase() {
        this.baseUrl = System.getenv().getOrDefault("DOCCLASSIFY_TEST_JDBC_URL", DEFAULT_URL);
    }

    /** Creates a schema of its own, or skips the test when the server cannot be reached. */
    public static PgTestDatabase create() {
        PgTestDatabase db = new PgTestDatabase();
        db.open();
        return db;
    }

    /** For {@code @RegisterExtension}: a fresh schema before each test method, dropped after it. */
    public static PgTestDatabase perTest() {
        return new PgTestDatabase();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        open();
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        if (schema != null) { // null when the test was skipped for want of a server
            close();
        }
    }

    private void open() {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection(baseUrl); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            Assumptions.abort("no PostgreSQL server for the JDBC tests at " + baseUrl + " (" + e.getMessage()
                    + "); start one or set DOCCLASSIFY_TEST_JDBC_URL");
        }
        schema = name;
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
        schema = null;
    }
}
