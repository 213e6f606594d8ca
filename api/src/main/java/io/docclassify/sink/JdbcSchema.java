package io.docclassify.sink;

import io.docclassify.ConfigurationException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates and migrates the results schema in the connection's current schema ({@code search_path}).
 *
 * <p>Migrations run in one transaction holding a transaction-scoped advisory lock, so several
 * processes may open a sink at once: the first migrates, the others wait and then find the
 * version current. Each migration is applied once and its number recorded in {@code docclassify_schema}.
 */
final class JdbcSchema {

    /** Any fixed number; all doc-classify processes on one database serialize their migrations on it. */
    private static final long LOCK_KEY = 0x646f63636c617373L;

    /*
     * Version 1. Paths are keyed by md5(path) rather than by the path itself: a B-tree entry is limited to
     * about 2,700 bytes, and paths may be 4,000 characters long. The path text is kept and compared too.
     * Files that were never hashed (unreadable, over the size limit) have no sha256; they go to
     * unread_paths, keyed by path alone. No embedding column yet.
     */
    private static final List<String> MIGRATIONS = List.of("""
            CREATE TABLE runs (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                started_at timestamptz NOT NULL DEFAULT now(),
                ended_at timestamptz,
                engine text,
                configuration jsonb,
                counters jsonb
            );
            CREATE TABLE documents (
                sha256 char(64) PRIMARY KEY,
                label text,
                confidence double precision,
                scores jsonb,
                pages integer,
                chars integer,
                media_type text,
                outcome text NOT NULL CHECK (outcome IN ('classified', 'failed')),
                failure_stage text,
                failure_reason text,
                failure_message text,
                classifier text,
                bytes bigint,
                processed_at timestamptz NOT NULL DEFAULT now(),
                run_id bigint REFERENCES runs (id)
            );
            CREATE INDEX documents_run_outcome ON documents (run_id, outcome);
            CREATE TABLE document_paths (
                sha256 char(64) NOT NULL,
                path text NOT NULL,
                path_md5 uuid GENERATED ALWAYS AS (md5(path)::uuid) STORED,
                run_id bigint REFERENCES runs (id),
                PRIMARY KEY (path_md5, sha256)
            );
            CREATE INDEX document_paths_sha256 ON document_paths (sha256);
            CREATE TABLE unread_paths (
                path text NOT NULL,
                path_md5 uuid GENERATED ALWAYS AS (md5(path)::uuid) STORED PRIMARY KEY,
                bytes bigint,
                failure_reason text NOT NULL,
                failure_message text,
                processed_at timestamptz NOT NULL DEFAULT now(),
                run_id bigint REFERENCES runs (id)
            );
            """,
            /*
             * Version 2, for `doc-classify status`: the number of input documents when the CLI's counter
             * finished (null until then, or when nobody counted), when each path row was written (rows of
             * version 1 get the time of the migration), and indexes to count a run's rows of the last minute.
             */
            """
            ALTER TABLE runs ADD COLUMN total bigint;
            ALTER TABLE document_paths ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();
            CREATE INDEX document_paths_run ON document_paths (run_id, recorded_at);
            CREATE INDEX unread_paths_run ON unread_paths (run_id, processed_at);
            """,
            /*
             * Version 3: what an LLM or a cascade adds to a result (its reasoning, the stage that decided), the
             * document's embedding, and a heartbeat each batch refreshes, so that `status` can tell a run that
             * is still writing from one that was killed. The embedding column is pgvector's `vector` when that
             * type is visible on the search path at migration time, else `real[]`; both hold the same numbers.
             */
            """
            ALTER TABLE documents ADD COLUMN rationale text, ADD COLUMN decided_by text,
                ADD COLUMN embedding ${embeddingType};
            ALTER TABLE runs ADD COLUMN heartbeat_at timestamptz;
            """,
            /*
             * Version 4: the pages of a document whose text came from OCR (0 for the rows written before).
             */
            """
            ALTER TABLE documents ADD COLUMN ocr_pages integer NOT NULL DEFAULT 0;
            """,
            /*
             * Version 5: the documents a split file holds (ExtractionLimits.split), one row per segment, keyed by
             * the file's document; no rows for a file that was not split.
             */
            """
            CREATE TABLE document_segments (
                sha256 char(64) NOT NULL REFERENCES documents (sha256) ON DELETE CASCADE,
                ordinal integer NOT NULL,
                first_page integer NOT NULL,
                last_page integer NOT NULL,
                label text NOT NULL,
                confidence double precision NOT NULL,
                PRIMARY KEY (sha256, ordinal)
            );
            """);

    /** Whether pgvector's {@code vector} type can be named here (the extension is installed on the search path). */
    private static boolean vectorTypeVisible(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT to_regtype('vector') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Whether {@code documents.embedding} is pgvector's {@code vector} (else {@code real[]}), in the
     * current schema.
     */
    static boolean embeddingIsVector(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                        + " WHERE a.attrelid = to_regclass('documents') AND a.attname = 'embedding'")) {
            // A domain or a schema-qualified name still reads as "vector" or "<schema>.vector".
            return rs.next() && rs.getString(1).replaceFirst("^.*\\.", "").startsWith("vector");
        }
    }

    /** The version this code writes. */
    static final int CURRENT = MIGRATIONS.size();

    private JdbcSchema() {}

    /**
     * Brings the schema to {@link #CURRENT}.
     *
     * @throws ConfigurationException when the database was migrated by a newer doc-classify
     */
    static void migrate(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            statement.execute("CREATE TABLE IF NOT EXISTS docclassify_schema (version integer PRIMARY KEY,"
                    + " applied_at timestamptz NOT NULL DEFAULT now())");
            int version;
            try (ResultSet rs = statement.executeQuery("SELECT coalesce(max(version), 0) FROM docclassify_schema")) {
                rs.next();
                version = rs.getInt(1);
            }
            if (version > CURRENT) {
                throw new ConfigurationException("the results database has schema version " + version
                        + ", newer than this doc-classify knows (" + CURRENT + "); use a newer doc-classify");
            }
            String embeddingType = vectorTypeVisible(statement) ? "vector" : "real[]";
            for (int next = version + 1; next <= CURRENT; next++) {
                statement.execute(MIGRATIONS.get(next - 1).replace("${embeddingType}", embeddingType));
                statement.execute("INSERT INTO docclassify_schema (version) VALUES (" + next + ")");
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
