package io.docclassify.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Schemas of their own on the benchmark PostgreSQL server ({@code DOCCLASSIFY_TEST_JDBC_URL}, default
 * 127.0.0.1:5432, database test), so benchmark runs never meet each other or the tests.
 */
final class BenchDatabase {

    static final String BASE_URL = System.getenv().getOrDefault("DOCCLASSIFY_TEST_JDBC_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private BenchDatabase() {}

    /** Creates a fresh schema and returns its name; fails at once, saying so, without a server. */
    static String createSchema(String benchmark) {
        String schema = "bench_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        try {
            execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(benchmark + " needs PostgreSQL at " + BASE_URL + " (" + e.getMessage()
                    + "); start one or set DOCCLASSIFY_TEST_JDBC_URL", e);
        }
        return schema;
    }

    /** The JDBC URL whose current schema is {@code schema}. */
    static String url(String schema) {
        return BASE_URL + (BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    static void dropSchema(String schema) throws SQLException {
        execute("DROP SCHEMA " + schema + " CASCADE");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(BASE_URL); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
