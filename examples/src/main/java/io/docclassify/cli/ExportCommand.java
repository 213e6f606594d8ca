package io.docclassify.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.docclassify.ConfigurationException;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.Segment;
import io.docclassify.Stage;
import io.docclassify.sink.RecordJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code doc-classify export}: the results database as JSON Lines or CSV, one record per path.
 *
 * <p>Rows are streamed with a cursor (fetch size), never loaded at once. Of the paths of one content, the
 * first by path (among those recorded by the run that wrote the result, when there are such) carries the
 * stored result; the others are {@code duplicate} records of it, as the pipeline reports them.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write the results stored in the database to a JSON Lines or CSV file, one record per path.")
final class ExportCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int FETCH_SIZE = 1_000;

    @Mixin
    DbOptions options;

    @Option(names = "--format", paramLabel = "FORMAT", required = true, description = "csv or jsonl.")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "The file to write.")
    Path output;

    @Option(names = "--segments", description = "With --format csv: one row per segment of the files split by"
            + " classify --split (path, sha256, segment, firstPage, lastPage, label, confidence) instead of one per path.")
    boolean segments;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String kind = format.toLowerCase(Locale.ROOT);
        if (!kind.equals("csv") && !kind.equals("jsonl")) {
            throw new ConfigurationException("--format must be csv or jsonl, got '" + format + "'");
        }
        if (segments && !kind.equals("csv")) {
            throw new ConfigurationException("--segments goes with --format csv (JSON Lines records carry their"
                    + " segments already); drop --segments or use --format csv");
        }
        long written;
        try (Connection connection = options.connect(System.getenv())) {
            long run = options.resolveRun(connection, false);
            connection.setAutoCommit(false); // a cursor: rows arrive FETCH_SIZE at a time
            int version = DbOptions.schemaVersion(connection);
            try (PreparedStatement query = connection.prepareStatement(sql(run >= 0, version))) {
                query.setFetchSize(FETCH_SIZE);
                if (run >= 0) {
                    query.setLong(1, run);
                    query.setLong(2, run);
                }
                try (ResultSet rs = query.executeQuery()) {
                    Records records = new Records(rs);
                    if (segments) {
                        CsvExport.writeSegments(() -> records, output);
                    } else if (kind.equals("csv")) {
                        CsvExport.write(() -> records, output);
                    } else {
                        try (BufferedWriter writer = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                            while (records.hasNext()) {
                                writer.write(RecordJson.toJson(records.next()));
                                writer.write('\n');
                            }
                        }
                    }
                    written = records.count;
                }
            } catch (UncheckedSqlException e) {
                throw e.getCause();
            } finally {
                connection.rollback();
            }
        }
        spec.commandLine().getOut().printf("exported     %d records to %s%n", written, output);
        spec.commandLine().getOut().flush();
        return 0;
    }

    static String sql(boolean oneRun, int schemaVersion) {
        return """
                SELECT p.path, p.sha256, d.bytes, d.media_type, d.pages, d.chars, d.outcome, d.label, d.confidence,
                    d.scores::text, d.classifier, d.failure_stage, d.failure_reason, d.failure_message,
                    d.sha256 IS NOT NULL AND (%s) AND row_number() OVER (PARTITION BY p.sha256
                        ORDER BY p.run_id IS NOT DISTINCT FROM d.run_id DESC, p.path) = 1 AS carries,
                    %s, %s, %s
                FROM document_paths p LEFT JOIN documents d ON d.sha256 = p.sha256
                %s
                UNION ALL
                SELECT path, NULL, bytes, NULL, NULL, NULL, 'failed', NULL, NULL, NULL, NULL, 'read', failure_reason,
                    failure_message, true, NULL, NULL, 0, NULL
                FROM unread_paths
                %s
                ORDER BY 1
                """.formatted(oneRun ? "p.run_id IS NOT DISTINCT FROM d.run_id" : "true",
                // Schema version 3 added the rationale and the deciding stage.
                schemaVersion >= 3 ? "d.rationale, d.decided_by" : "NULL, NULL",
                // Schema version 4 added the pages read by OCR.
                schemaVersion >= 4 ? "coalesce(d.ocr_pages, 0)" : "0",
                // Schema version 5 added the segments of split files.
                schemaVersion >= 5 ? "(SELECT json_agg(json_build_array(s.first_page, s.last_page, s.label, s.confidence)"
                        + " ORDER BY s.ordinal) FROM document_segments s WHERE s.sha256 = d.sha256)::text" : "NULL",
                oneRun ? "WHERE p.run_id = ?" : "", oneRun ? "WHERE run_id = ?" : "");
    }

    /** The result set as records, read as they are asked for. */
    static final class Records implements Iterator<DocumentRecord> {
        private final ResultSet rs;
        private Boolean ahead;
        long count;

        Records(ResultSet rs) {
            this.rs = rs;
        }

        @Override
        public boolean hasNext() {
            if (ahead == null) {
                try {
                    ahead = rs.next();
                } catch (SQLException e) {
                    throw new UncheckedSqlException(e);
                }
            }
            return ahead;
        }

        @Override
        public DocumentRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ahead = null;
            count++;
            try {
                return record(rs);
            } catch (SQLException e) {
                throw new UncheckedSqlException(e);
            }
        }
    }

    static DocumentRecord record(ResultSet rs) throws SQLException {
        String path = rs.getString(1);
        String sha256 = rs.getString(2);
        Long bytes = rs.getObject(3) == null ? null : rs.getLong(3);
        if (!rs.getBoolean(15)) {
            return new DocumentRecord(path, sha256, bytes, null, null, null, new Outcome.Duplicate(sha256), null,
                    null, 0);
        }
        Outcome outcome;
        if ("classified".equals(rs.getString(7))) {
            outcome = new Outcome.Classified(rs.getString(8), rs.getDouble(9), scores(rs.getString(10)),
                    rs.getString(16), rs.getString(17), null, segments(rs.getString(19)));
        } else {
            outcome = new Outcome.Failed(Stage.fromCode(rs.getString(12)), rs.getString(13), rs.getString(14));
        }
        return new DocumentRecord(path, sha256, bytes, rs.getString(4), (Integer) rs.getObject(5),
                (Integer) rs.getObject(6), outcome, rs.getString(11), null, 0, rs.getInt(18));
    }

    /** The stored segments ({@code [[first, last, label, confidence], ...]}), or {@code null} for a file not split. */
    private static List<Segment> segments(String json) {
        if (json == null) {
            return null;
        }
        try {
            List<List<Object>> rows = JSON.readValue(json, new TypeReference<List<List<Object>>>() {});
            List<Segment> segments = new ArrayList<>(rows.size());
            for (List<Object> row : rows) {
                segments.add(new Segment(((Number) row.get(0)).intValue(), ((Number) row.get(1)).intValue(),
                        (String) row.get(2), ((Number) row.get(3)).doubleValue()));
            }
            return segments;
        } catch (IOException e) {
            throw new UncheckedIOException("stored segments are not [[first, last, label, confidence], ...]: " + json, e);
        }
    }

    private static Map<String, Double> scores(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Double>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException("stored scores are not a JSON object of numbers: " + json, e);
        }
    }

    /** Carries an SQL error out of the iterator. */
    static final class UncheckedSqlException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedSqlException(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
