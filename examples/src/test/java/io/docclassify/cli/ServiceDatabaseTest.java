package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docclassify.contract.Corpus;
import io.docclassify.contract.MixedCorpus;
import io.docclassify.sink.PgTestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service with a real PostgreSQL ({@code --db}): jobs and their states survive a restart. A job that was
 * running comes back {@code stopped}, one that waited comes back queued and runs, and a job with
 * {@code "resume": true} continues the stopped one's run to one record per document.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ServiceDatabaseTest {

    @TempDir
    Path temp;

    @Test
    void afterARestart_jobsComeBackInTheirStates_andAResumedJobEndsWithOneRecordPerDocument() throws Exception {
        Path root = Files.createDirectories(temp.resolve("root"));
        int first = MixedCorpus.create(root.resolve("a"), 60, 2);
        Path b = root.resolve("b");
        int second = lastReutersTexts(b, 6); // content of its own: nothing in it is a duplicate of a's
        try (PgTestDatabase db = PgTestDatabase.create()) {
            String[] args = {"--root", root.toString(), "--db", db.url(), "--max-running-jobs", "1", "--batch-size", "5"};
            String running;
            String queued;
            ServiceFixture before = new ServiceFixture(temp, false, args);
            try {
                running = before.submit("{\"inputs\": [\"a\"]}");
                queued = before.submit("{\"inputs\": [\"b\"]}");
                before.gate.allow(6);
                before.awaitJob(running, job -> job.get("classified").asLong() >= 6, "6 documents classified");
                assertThat(before.job(queued).get("state").asText()).isEqualTo("queued");
            } finally {
                // The service ends while job a waits at the gate: let its documents in flight through, a few at a time.
                Thread closer = Thread.ofPlatform().start(() -> {
                    try {
                        before.close(false);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                while (closer.isAlive()) {
                    before.gate.allow(1);
                    closer.join(50);
                }
            }
            Map<String, String> stored = states(db);
            assertThat(stored).as("states stored when the service closed")
                    .containsEntry(running, "stopped").containsEntry(queued, "queued");
            // As a process killed with -9 leaves it: the row still says running.
            try (Connection c = db.connect();
                    PreparedStatement update = c.prepareStatement(
                            "UPDATE service_jobs SET state = 'running', ended_at = NULL WHERE id = ?")) {
                update.setString(1, running);
                update.executeUpdate();
            }

            try (ServiceFixture after = new ServiceFixture(temp, args)) {
                JsonNode list = ServiceFixture.JSON.readTree(after.get("/v1/jobs").body()).get("jobs");
                Map<String, JsonNode> jobs = new java.util.HashMap<>();
                list.forEach(job -> jobs.put(job.get("id").asText(), job));
                assertThat(jobs.keySet()).containsExactlyInAnyOrder(running, queued);
                assertThat(jobs.get(running).get("state").asText()).as("the job that ran when the service ended")
                        .isEqualTo("stopped");
                assertThat(jobs.get(running).get("error").asText()).contains("\"resume\": true");
                long recordedBefore = jobs.get(running).get("recorded").asLong();
                assertThat(jobs.get(queued).get("state").asText()).as("the job that waited")
                        .isIn("queued", "running", "done");
                assertThat(after.awaitState(queued, "done").get("recorded").asLong()).isEqualTo(second);
                assertThat(after.results(queued)).hasSize(second);

                String resumed = after.submit("{\"inputs\": [\"a\"], \"resume\": true}");
                JsonNode done = after.awaitState(resumed, "done");
                assertThat(done.get("resumedFrom").asText()).isEqualTo(running);
                assertThat(done.get("recorded").asLong()).isEqualTo(first);
                List<JsonNode> records = after.results(resumed);
                assertThat(records).as("one record per document of a").hasSize(first);
                Set<String> paths = records.stream().map(r -> r.get("path").asText()).collect(Collectors.toSet());
                assertThat(paths).hasSize(first);
                assertThat(records.stream().filter(r -> r.get("outcome").asText().equals("failed")).count()).isEqualTo(2);
                assertThat(recordedBefore).as("the first part was kept, not redone").isPositive();
                long run = runOf(db, running);
                assertThat(runOf(db, resumed)).as("the resumed job continues the stopped job's run").isEqualTo(run);
                assertThat(db.count("SELECT count(*) FROM document_paths WHERE run_id = " + run)
                        + db.count("SELECT count(*) FROM unread_paths WHERE run_id = " + run))
                        .as("rows of the run in the database").isEqualTo(first);
            }
        }
    }

    private static int lastReutersTexts(Path dir, int n) throws Exception {
        Files.createDirectories(dir);
        try (var files = Files.walk(Corpus.root().resolve("reuters_r8_test/docs"))) {
            List<Path> texts = files.filter(Files::isRegularFile).sorted(java.util.Comparator.reverseOrder()).limit(n)
                    .toList();
            for (Path text : texts) {
                Files.copy(text, dir.resolve(text.getFileName()));
            }
            return texts.size();
        }
    }

    private static long runOf(PgTestDatabase db, String job) throws Exception {
        return db.count("SELECT run_id FROM service_jobs WHERE id = '" + job + "'");
    }

    private static Map<String, String> states(PgTestDatabase db) throws Exception {
        try (Connection c = db.connect(); var rs = c.createStatement().executeQuery("SELECT id, state FROM service_jobs")) {
            Map<String, String> states = new java.util.HashMap<>();
            while (rs.next()) {
                states.put(rs.getString(1), rs.getString(2));
            }
            return states;
        }
    }
}
