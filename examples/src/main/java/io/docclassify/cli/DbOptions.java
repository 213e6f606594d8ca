package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** The database options of the commands that read results back: {@code status} and {@code export}. */
final class DbOptions {

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "The results database, e.g. jdbc:postgresql://localhost:5432/docs.")
    String db;

    @Option(names = "--db-user", paramLabel = "USER", description = "Database user. Default: $PGUSER.")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD",
            description = "Database password. Default: $PGPASSWORD (better: it stays out of the process list).")
    String dbPassword;

    @Option(names = "--run", paramLabel = "ID", description = "The run. Default: the latest (status), every run (export).")
    Long run;

    /** Opens a plain connection (no pool: these commands ask a few queries). */
    Connection connect(Map<String, String> environment) throws IOException {
        if (db == null) {
            throw new ConfigurationException("--db JDBC_URL is required, e.g. --db jdbc:postgresql://localhost:5432/docs");
        }
        if (!db.startsWith("jdbc:postgresql:")) {
            throw new ConfigurationException("the database URL must start with jdbc:postgresql:, got '" + redact(db)
                    + "'; for example jdbc:postgresql://localhost:5432/docs");
        }
        Properties properties = new Properties();
        String user = dbUser != null ? dbUser : environment.get("PGUSER");
        String password = dbPassword != null ? dbPassword : environment.get("PGPASSWORD");
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", "10");
        try {
            return DriverManager.getConnection(db, properties);
        } catch (SQLException e) {
            String message = String.valueOf(e.getMessage());
            if (password != null && !password.isEmpty()) {
                message = message.replace(password, "***");
            }
            throw new IOException("cannot open the results database " + redact(db)
                    + (user != null ? " as " + user : "") + ": " + redact(message));
        }
    }

    static String redact(String text) {
        return text.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//[^/@]*:[^/@]*@", "//***@");
    }

    /** The schema version doc-classify recorded; 0 when the database holds no doc-classify results. */
    static int schemaVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet exists = statement.executeQuery("SELECT to_regclass('docclassify_schema') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return 0;
            }
        }
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT coalesce(max(version), 0) FROM docclassify_schema")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * The run asked for, or the latest one.
     *
     * @throws ConfigurationException when there is no such run, listing the latest runs
     */
    long resolveRun(Connection connection, boolean latestByDefault) throws SQLException {
        if (schemaVersion(connection) == 0) {
            throw new ConfigurationException("the database " + redact(db) + " holds no doc-classify results"
                    + " (no docclassify_schema table in its current schema)");
        }
        if (run == null && !latestByDefault) {
            return -1;
        }
        if (run != null) {
            try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM runs WHERE id = ?")) {
                query.setLong(1, run);
                try (ResultSet rs = query.executeQuery()) {
                    if (rs.next()) {
                        return run;
                    }
                }
            }
        }
        StringBuilder latest = new StringBuilder();
        long newest = -1;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT id, started_at, ended_at, engine FROM runs ORDER BY id DESC LIMIT 10")) {
            while (rs.next()) {
                if (newest < 0) {
                    newest = rs.getLong(1);
                }
                latest.append(String.format("%n  run %d  started %s  %s  engine %s", rs.getLong(1),
                        rs.getObject(2, java.time.OffsetDateTime.class),
                        rs.getObject(3) == null ? "not ended" : "ended " + rs.getObject(3, java.time.OffsetDateTime.class),
                        rs.getString(4)));
            }
        }
        if (run == null) {
            if (newest < 0) {
                throw new ConfigurationException("the database " + redact(db) + " holds no runs yet");
            }
            return newest;
        }
        throw new ConfigurationException("no run " + run + " in " + redact(db)
                + (newest < 0 ? "; it holds no runs yet" : "; the latest runs:" + latest));
    }
}
