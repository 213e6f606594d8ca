package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code doc-classify status}: a run's progress, read from the results database. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show a run's progress from the results database (--db), or a cluster's members and work (--members).")
final class StatusCommand implements Callable<Integer> {

    /** How long a run may go without writing before status calls it stopped rather than running. */
    static final Duration STALE = Duration.ofMinutes(2);

    @Mixin
    DbOptions options;

    @Option(names = "--watch", paramLabel = "SECONDS", arity = "0..1", fallbackValue = "5",
            description = "Refresh every SECONDS (default 5) until the run ends or Ctrl-C.")
    Integer watch;

    @Option(names = "--members", paramLabel = "HOST:PORT", split = ",",
            description = "Show a Hazelcast cluster instead: members, documents in flight per member, queue depth, rate.")
    List<String> members = new ArrayList<>();

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = HazelcastCli.DEFAULT_CLUSTER,
            description = "With --members: the cluster. Default: ${DEFAULT-VALUE}.")
    String clusterName;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!members.isEmpty()) {
            if (options.db != null) {
                throw new ConfigurationException("--members shows the cluster and --db a run in the database; pass one of them");
            }
            HazelcastCli.printStatus(clusterName, members, spec.commandLine().getOut());
            spec.commandLine().getOut().flush();
            return 0;
        }
        if (watch != null && watch < 1) {
            throw new ConfigurationException("--watch must be >= 1 second, got " + watch);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Connection connection = options.connect(System.getenv())) {
            long run = options.resolveRun(connection, true);
            int version = DbOptions.schemaVersion(connection);
            while (true) {
                boolean ended = print(connection, version, run, out);
                out.flush();
                if (watch == null || ended) {
                    return 0;
                }
                Thread.sleep(Duration.ofSeconds(watch));
                out.println();
            }
        }
    }

    /** Prints the run's status; returns whether the run has ended. */
    static boolean print(Connection connection, int version, long run, PrintWriter out) throws SQLException {
        OffsetDateTime started;
        OffsetDateTime ended;
        String engine;
        String counters;
        Long total = null;
        Duration sinceLastWrite = null;
        try (PreparedStatement query = connection.prepareStatement("SELECT started_at, ended_at, engine, counters::text"
                + (version >= 2 ? ", total" : ", NULL")
                + (version >= 3 ? ", extract(epoch FROM now() - coalesce(heartbeat_at, started_at))" : ", NULL")
                + " FROM runs WHERE id = ?")) {
            query.setLong(1, run);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                started = rs.getObject(1, OffsetDateTime.class);
                ended = rs.getObject(2, OffsetDateTime.class);
                engine = rs.getString(3);
                counters = rs.getString(4);
                long value = rs.getLong(5);
                total = rs.wasNull() ? null : value;
                double idle = rs.getDouble(6);
                sinceLastWrite = rs.wasNull() ? null : Duration.ofMillis(Math.round(idle * 1000));
            }
        }
        Map<String, Long> outcomes = new LinkedHashMap<>();
        outcomes.put("classified", 0L);
        outcomes.put("failed", 0L);
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT outcome, count(*) FROM documents WHERE run_id = ? GROUP BY outcome")) {
            query.setLong(1, run);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    outcomes.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        long documentRows = outcomes.values().stream().mapToLong(Long::longValue).sum();
        long paths = single(connection, "SELECT count(*) FROM document_paths WHERE run_id = ?", run);
        long unread = single(connection, "SELECT count(*) FROM unread_paths WHERE run_id = ?", run);
        // A path of the run whose content got its result elsewhere (an earlier run or path) is a duplicate.
        outcomes.put("duplicate", Math.max(0, paths - documentRows));
        outcomes.merge("failed", unread, Long::sum);
        long done = paths + unread;
        long lastMinute = version >= 2
                ? single(connection, "SELECT (SELECT count(*) FROM document_paths WHERE run_id = ? AND recorded_at"
                        + " > now() - interval '1 minute') + (SELECT count(*) FROM unread_paths WHERE run_id = ?"
                        + " AND processed_at > now() - interval '1 minute')", run, run)
                : single(connection, "SELECT count(*) FROM documents WHERE run_id = ?"
                        + " AND processed_at > now() - interval '1 minute'", run);

        out.printf("run          %d (engine %s)%n", run, engine == null ? "?" : engine);
        out.printf("started      %s%n", started);
        out.printf("ended        %s%n", ended != null ? ended : notEnded(run, sinceLastWrite));
        out.printf("done         %d documents%s%n", done, total != null ? " of " + total : "");
        outcomes.forEach((outcome, count) -> out.printf("  %-11s%d%n", outcome, count));
        if (ended != null && counters != null) {
            out.printf("counters     %s (as the run recorded them at its end)%n", counters);
        }
        printFailures(connection, run, out);
        if (ended == null) {
            out.printf("rate         %d documents in the last minute%n", lastMinute);
            if (total == null) {
                out.println("eta          unknown: the run has no total (it is stored once the input is counted)");
            } else if (lastMinute == 0) {
                out.println("eta          unknown: nothing recorded in the last minute");
            } else {
                long remaining = Math.max(0, total - done);
                Duration eta = Duration.ofSeconds(Math.round(remaining * 60.0 / lastMinute));
                out.printf("eta          %s (%d documents left)%n", format(eta), remaining);
            }
        }
        return ended != null;
    }

    /**
     * A run without an end: running while it writes; a run that wrote nothing for {@link #STALE} was most
     * likely killed (a live run writes a batch every second or so while documents finish).
     */
    private static String notEnded(long run, Duration sinceLastWrite) {
        if (sinceLastWrite == null) {
            return "not yet (running, or stopped without ending: continue it with --resume " + run + ")";
        }
        if (sinceLastWrite.compareTo(STALE) < 0) {
            return "not yet: running, last write " + format(sinceLastWrite) + " ago";
        }
        return "not yet, and no write for " + format(sinceLastWrite) + ": if its process is gone, continue it with"
                + " --resume " + run;
    }

    private static void printFailures(Connection connection, long run, PrintWriter out) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT stage, reason, sum(n) FROM (
                    SELECT failure_stage AS stage, failure_reason AS reason, count(*) AS n FROM documents
                        WHERE run_id = ? AND outcome = 'failed' GROUP BY 1, 2
                    UNION ALL
                    SELECT 'read', failure_reason, count(*) FROM unread_paths WHERE run_id = ? GROUP BY 2
                ) f GROUP BY stage, reason ORDER BY 3 DESC, 1, 2
                """)) {
            query.setLong(1, run);
            query.setLong(2, run);
            try (ResultSet rs = query.executeQuery()) {
                boolean header = false;
                while (rs.next()) {
                    if (!header) {
                        out.println("failures by stage/reason");
                        header = true;
                    }
                    out.printf("  %-30s%d%n", rs.getString(1) + "/" + rs.getString(2), rs.getLong(3));
                }
            }
        }
    }

    private static long single(Connection connection, String sql, long... parameters) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setLong(i + 1, parameters[i]);
            }
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String format(Duration d) {
        return d.toHours() > 0 ? String.format("%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}
