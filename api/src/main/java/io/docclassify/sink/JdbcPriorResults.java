package io.docclassify.sink;

import io.docclassify.spi.PriorResults;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * What the results database holds, asked per document through the primary-key and sha256 indexes;
 * no table is loaded into memory, so a store of millions of rows costs the run nothing up front.
 *
 * <p>Thread-safe: each question borrows a pooled connection. Transient errors are retried like the
 * sink's writes (the asking worker waits meanwhile); any other error, or an outage past the limit, is
 * thrown as an {@link IllegalStateException}, which stops the run (the engines treat it like a failed store).
 */
final class JdbcPriorResults implements PriorResults {
    private final DataSource dataSource;
    private final boolean resume;
    private final long size;
    private final JdbcRetry retry;

    JdbcPriorResults(DataSource dataSource, boolean resume, JdbcRetry retry) throws SQLException {
        this.dataSource = dataSource;
        this.resume = resume;
        this.retry = retry;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT (SELECT count(*) FROM document_paths)"
                        + " + (SELECT count(*) FROM unread_paths)")) {
            rs.next();
            size = rs.getLong(1);
        }
    }

    @Override
    public boolean hasRecord(String path, String sha256) {
        if (!resume) {
            return false;
        }
        String sql = sha256 == null
                ? "SELECT 1 FROM unread_paths WHERE path_md5 = md5(?)::uuid AND path = ?"
                : "SELECT 1 FROM document_paths WHERE path_md5 = md5(?)::uuid AND path = ? AND sha256 = ?";
        String clean = JdbcErrors.clean(path);
        return exists(sql, sha256 == null ? List.of(clean, clean) : List.of(clean, clean, sha256));
    }

    @Override
    public boolean hasContent(String sha256) {
        return sha256 != null && exists("SELECT 1 FROM documents WHERE sha256 = ?", List.of(sha256));
    }

    @Override
    public long size() {
        return size;
    }

    private boolean exists(String sql, List<String> parameters) {
        try {
            return retry.run("asking the results database what it holds", () -> {
                try (Connection connection = dataSource.getConnection();
                        PreparedStatement query = connection.prepareStatement(sql)) {
                    for (int i = 0; i < parameters.size(); i++) {
                        query.setString(i + 1, parameters.get(i));
                    }
                    try (ResultSet rs = query.executeQuery()) {
                        return rs.next();
                    }
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
