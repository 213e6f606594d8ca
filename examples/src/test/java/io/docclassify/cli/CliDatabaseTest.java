package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.sink.PgTestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code classify --db}: results into PostgreSQL, resume from it, and no password on the console. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CliDatabaseTest {

    private static final String SECRET = "pa55-w0rd-never-shown";

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void classify_withDb_storesEveryDocument_andResumeSkipsThemAll() throws Exception {
        long files;
        try (Stream<Path> docs = Files.list(CliTest.SAMPLE_DOCS)) {
            files = docs.count();
        }
        try (PgTestDatabase db = PgTestDatabase.create()) {
            String[] args = {"classify", CliTest.SAMPLE_DOCS.toString(), "--db", db.url(), "--db-password", SECRET,
                    "--classifier", "rules", "--no-progress", "--summary", temp.resolve("summary.json").toString()};
            assertThat(run(args)).as("exit code; stderr: %s", err).isZero();
            long stored = db.count("SELECT (SELECT count(*) FROM document_paths) + (SELECT count(*) FROM unread_paths)");
            assertThat(stored).as("one path row per input file").isEqualTo(files);

            String[] resume = java.util.Arrays.copyOf(args, args.length + 1);
            resume[args.length] = "--resume";
            assertThat(run(resume)).as("exit code; stderr: %s", err).isZero();
            assertThat(out.toString()).contains("skipped     " + files);
            assertThat(db.count("SELECT count(*) FROM runs")).isEqualTo(2);
            assertThat(out.toString() + err).doesNotContain(SECRET);
            assertThat(Files.readString(temp.resolve("summary.json"))).doesNotContain(SECRET);
        }
    }

    @Test
    void db_withAnOutputFile_isRefusedWithHint() {
        assertThat(run("classify", CliTest.SAMPLE_DOCS.toString(), "--classifier", "rules",
                "--db", "jdbc:postgresql://127.0.0.1:5432/test", "-o", temp.resolve("r.jsonl").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--db writes the results to the database and -o names a results file");
    }

    @Test
    void dbPassword_withoutDb_isRefused() {
        assertThat(run("classify", CliTest.SAMPLE_DOCS.toString(), "--db-password", SECRET)).isEqualTo(2);
        assertThat(err.toString()).contains("--db-user and --db-password need --db JDBC_URL").doesNotContain(SECRET);
    }
}
