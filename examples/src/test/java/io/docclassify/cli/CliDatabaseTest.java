package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.contract.Corpus;
import io.docclassify.sink.JdbcResultSink;
import io.docclassify.sink.PgTestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code classify --db}: results into PostgreSQL, resume from it, and no password on the console. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CliDatabaseTest extends InProcessCli {

    private static final String SECRET = "pa55-w0rd-never-shown";

    @TempDir
    Path temp;

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
            assertThat(db.count("SELECT count(*) FROM runs WHERE configuration::text LIKE '%" + SECRET + "%'"))
                    .as("runs whose stored configuration holds the password").isZero();
        }
    }

    @Test
    void split_storesSegments_exportsOneRowPerSegment_andResumeAndDedupBehaveAsBefore() throws Exception {
        Path input = Files.createDirectories(temp.resolve("batches"));
        Path batch = input.resolve("batch.pdf");
        try (PDDocument out = new PDDocument();
                PDDocument paper = Loader.loadPDF(Corpus.papers(1).getFirst().toFile());
                PDDocument invoice = Loader.loadPDF(Corpus.file(
                        "business_docs/docs/invoice/invoice2data__AmazonWebServices.pdf").toFile());
                PDDocument resume = Loader.loadPDF(Corpus.file("business_docs/docs/resume/ACCOUNTANT/10554236.pdf").toFile())) {
            for (PDPage page : List.of(paper.getPage(0), paper.getPage(1), invoice.getPage(0), resume.getPage(0),
                    resume.getPage(1))) {
                out.importPage(page);
            }
            out.save(batch.toFile());
        }
        Files.copy(batch, input.resolve("batch-copy.pdf"));
        Files.copy(Corpus.file("business_docs/docs/invoice/invoice2data__QualityHosting.pdf"), input.resolve("invoice.pdf"));
        try (PgTestDatabase db = PgTestDatabase.create()) {
            String[] args = {"classify", input.toString(), "--split", "--db", db.url(), "--classifier", "rules",
                    "--no-progress"};
            assertThat(run(args)).as("stderr: %s", err).isZero();
            String stored = "SELECT count(*) FROM document_segments";
            assertThat(db.count(stored)).as("segment rows: three for the batch (its copy is a duplicate), one for the invoice")
                    .isEqualTo(4);
            out.getBuffer().setLength(0);
            String[] resume = java.util.Arrays.copyOf(args, args.length + 1);
            resume[args.length] = "--resume";
            assertThat(run(resume)).as("stderr: %s", err).isZero();
            assertThat(out.toString()).contains("skipped     3");
            assertThat(db.count(stored)).as("segment rows after a resumed run").isEqualTo(4);

            Path csv = temp.resolve("segments.csv");
            assertThat(run("export", "--db", db.url(), "--format", "csv", "--segments", "-o", csv.toString()))
                    .as("stderr: %s", err).isZero();
            List<String> lines = Files.readAllLines(csv);
            assertThat(lines.getFirst()).isEqualTo("path,sha256,segment,firstPage,lastPage,label,confidence");
            // Of two paths of one content, export gives the result to the first by path (batch-copy.pdf).
            assertThat(lines.subList(1, lines.size())).as("one row per segment, in page order")
                    .extracting(line -> line.replace("\"", "").split(","))
                    .extracting(f -> f[0].replaceFirst(".*/", "") + " " + f[2] + ": " + f[3] + "-" + f[4])
                    .containsExactly("batch-copy.pdf 1: 1-2", "batch-copy.pdf 2: 3-3", "batch-copy.pdf 3: 4-5",
                            "invoice.pdf 1: 1-2");

            Path jsonl = temp.resolve("split.jsonl");
            assertThat(run("classify", input.toString(), "--split", "--classifier", "rules", "--no-progress", "-o",
                    jsonl.toString())).as("stderr: %s", err).isZero();
            Path exported = temp.resolve("export.jsonl");
            assertThat(run("export", "--db", db.url(), "--format", "jsonl", "-o", exported.toString())).isZero();
            assertThat(segments(CliTest.records(exported))).as("segments exported from the database vs JSON Lines")
                    .isEqualTo(segments(CliTest.records(jsonl)));
            assertThat(CliTest.records(jsonl)).filteredOn(r -> Path.of(r.path()).getFileName().toString().startsWith("batch"))
                    .extracting(r -> r.outcome().code()).as("the batch and its copy: one classified, one duplicate")
                    .containsExactlyInAnyOrder("classified", "duplicate");
        }
    }

    private static Map<String, Object> segments(List<DocumentRecord> records) {
        Map<String, Object> segments = new HashMap<>();
        records.forEach(r -> segments.put(r.path(), r.outcome() instanceof Outcome.Classified c ? c.segments()
                : r.outcome().code()));
        return segments;
    }

    @Test
    void status_export_afterAClassifyRun() throws Exception {
        Path reference = temp.resolve("reference.jsonl");
        assertThat(run("classify", CliTest.SAMPLE_DOCS.toString(), "--classifier", "rules", "--no-progress",
                "-o", reference.toString())).as("stderr: %s", err).isZero();
        List<DocumentRecord> expected = CliTest.records(reference);
        try (PgTestDatabase db = PgTestDatabase.create()) {
            assertThat(run("classify", CliTest.SAMPLE_DOCS.toString(), "--db", db.url(), "--classifier", "rules",
                    "--no-progress")).as("stderr: %s", err).isZero();
            long classified = db.count("SELECT count(*) FROM documents WHERE outcome = 'classified'");
            long failed = db.count("SELECT count(*) FROM documents WHERE outcome = 'failed'")
                    + db.count("SELECT count(*) FROM unread_paths");

            out.getBuffer().setLength(0);
            assertThat(run("status", "--db", db.url())).as("stderr: %s", err).isZero();
            assertThat(out.toString()).contains("run          1", "done         " + expected.size() + " documents",
                    "  classified " + classified, "  failed     " + failed, "ended        2");
            out.getBuffer().setLength(0);
            assertThat(run("status", "--db", db.url(), "--run", "1", "--watch", "1")).as("ended run: no refresh").isZero();
            assertThat(out.toString()).containsOnlyOnce("run          1");

            Path jsonl = temp.resolve("export.jsonl");
            assertThat(run("export", "--db", db.url(), "--format", "jsonl", "-o", jsonl.toString()))
                    .as("stderr: %s", err).isZero();
            List<DocumentRecord> exported = CliTest.records(jsonl);
            assertThat(exported).extracting(DocumentRecord::path).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(expected.stream().map(DocumentRecord::path).toList());
            assertThat(labels(exported)).as("label of each path's content").isEqualTo(labels(expected));

            Path csv = temp.resolve("export.csv");
            assertThat(run("export", "--db", db.url(), "--run", "1", "--format", "csv", "-o", csv.toString()))
                    .as("stderr: %s", err).isZero();
            List<String> lines = Files.readAllLines(csv);
            assertThat(lines.getFirst()).startsWith("path,sha256,outcome,label");
            assertThat(lines).as("header + one row per path (no path of the sample has a line break)")
                    .hasSize(expected.size() + 1);
        }
    }

    @Test
    void defaultClassifier_withDb_storesEachDocumentsVector_andTheLabelsOfAResultsFileRun() throws Exception {
        Path reference = temp.resolve("reference.jsonl");
        assertThat(run("classify", CliTest.SAMPLE_DOCS.toString(), "--no-progress", "-o", reference.toString()))
                .as("stderr: %s", err).isZero();
        List<DocumentRecord> expected = CliTest.records(reference);
        try (PgTestDatabase db = PgTestDatabase.create()) {
            assertThat(run("classify", CliTest.SAMPLE_DOCS.toString(), "--db", db.url(), "--no-progress"))
                    .as("stderr: %s", err).isZero();
            long classified = db.count("SELECT count(*) FROM documents WHERE outcome = 'classified'");
            assertThat(classified).isPositive();
            assertThat(db.count("SELECT count(*) FROM documents WHERE outcome = 'classified'"
                    + " AND cardinality(embedding::real[]) = 384")).as("classified rows with a MiniLM vector").isEqualTo(classified);
            Path jsonl = temp.resolve("export.jsonl");
            assertThat(run("export", "--db", db.url(), "--format", "jsonl", "-o", jsonl.toString())).as("stderr: %s", err).isZero();
            assertThat(labels(CliTest.records(jsonl))).as("the vectors change no label").isEqualTo(labels(expected));
        }
    }

    @Test
    void status_ofAnUnknownRun_exits2_listingTheRuns() throws Exception {
        try (PgTestDatabase db = PgTestDatabase.create()) {
            assertThat(run("classify", CliTest.SAMPLE_DOCS.resolve("resume.html").toString(), "--db", db.url(),
                    "--classifier", "rules", "--no-progress")).as("stderr: %s", err).isZero();
            assertThat(run("status", "--db", db.url(), "--run", "42")).isEqualTo(2);
            assertThat(err.toString()).contains("no run 42", "the latest runs:", "run 1");
            assertThat(run("export", "--db", db.url(), "--run", "42", "--format", "csv",
                    "-o", temp.resolve("x.csv").toString())).isEqualTo(2);
        }
    }

    @Test
    void status_tellsARunningRunFromAStoppedOne_andResumeRunIdContinuesIt() throws Exception {
        long files;
        try (Stream<Path> docs = Files.list(CliTest.SAMPLE_DOCS)) {
            files = docs.count();
        }
        try (PgTestDatabase db = PgTestDatabase.create()) {
            String url = db.url() + "&password=" + SECRET; // trust authentication ignores it; nothing may show it
            long id;
            try (JdbcResultSink sink = JdbcResultSink.builder(db.url()).batchSize(1).build()) {
                id = sink.runId();
                sink.recordTotal(files + 1);
                sink.accept(new DocumentRecord("/elsewhere/note.txt", "d".repeat(64), 5L, "text/plain", null, 5,
                        new Outcome.Classified("letter", 0.7, Map.of("letter", 0.7)), "rules", Map.of(), 0));

                assertThat(run("status", "--db", url)).as("stderr: %s", err).isZero();
                assertThat(out.toString()).contains("run          " + id, "running, last write",
                        "done         1 documents of " + (files + 1), "rate         1 documents in the last minute",
                        "eta          ");

                // The process dies: its heartbeat grows old.
                db.count("WITH aged AS (UPDATE runs SET heartbeat_at = now() - interval '10 minutes' RETURNING 1)"
                        + " SELECT count(*) FROM aged");
                out.getBuffer().setLength(0);
                assertThat(run("status", "--db", url, "--run", String.valueOf(id))).isZero();
                assertThat(out.toString()).contains("no write for 10m", "continue it with --resume " + id);
            }

            assertThat(run("classify", CliTest.SAMPLE_DOCS.toString(), "--db", url, "--resume", String.valueOf(id),
                    "--classifier", "rules", "--no-progress")).as("stderr: %s", err).isZero();
            assertThat(db.count("SELECT count(*) FROM runs")).as("the run went on; no new run").isEqualTo(1);
            assertThat(db.count("SELECT (SELECT count(*) FROM document_paths WHERE run_id = " + id
                    + ") + (SELECT count(*) FROM unread_paths WHERE run_id = " + id + ")")).isEqualTo(files + 1);
            out.getBuffer().setLength(0);
            assertThat(run("status", "--db", url)).isZero();
            assertThat(out.toString()).contains("done         " + (files + 1) + " documents").doesNotContain("not yet");

            assertThat(run("classify", CliTest.SAMPLE_DOCS.toString(), "--db", url, "--resume", String.valueOf(id + 1),
                    "--no-progress")).isEqualTo(2);
            assertThat(err.toString()).contains("no run " + (id + 1));
            assertThat(run("export", "--db", url, "--format", "csv", "-o", temp.resolve("all.csv").toString())).isZero();
            assertThat(out.toString() + err).doesNotContain(SECRET);
        }
    }

    /** Each path's label, following a duplicate to the label of its content. */
    static Map<String, String> labels(List<DocumentRecord> records) {
        Map<String, String> bySha = new HashMap<>();
        for (DocumentRecord r : records) {
            if (r.sha256() != null && !(r.outcome() instanceof Outcome.Duplicate)) {
                bySha.put(r.sha256(), r.label() != null ? r.label() : r.outcome().code());
            }
        }
        Map<String, String> labels = new HashMap<>();
        for (DocumentRecord r : records) {
            labels.put(r.path(), r.outcome() instanceof Outcome.Duplicate ? bySha.get(r.sha256())
                    : r.label() != null ? r.label() : r.outcome().code());
        }
        return labels;
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
