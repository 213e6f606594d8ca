package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentClassifier;
import io.docclassify.DocumentRecord;
import io.docclassify.contract.CollectingSink;
import io.docclassify.contract.Corpus;
import io.docclassify.source.DocumentSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Invariant 3: kill -9 at any moment, rerun with --resume, and the results equal an uninterrupted run's. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KillAndResumeTest {

    @TempDir
    Path temp;

    @Test
    void killedWithSigkill_thenResumed_recordsEveryDocumentOnce_withTheLabelsOfAnUninterruptedRun() throws Exception {
        Path corpus = Corpus.root().resolve("throughput_pdfs_papers_we_love/docs");
        Path results = temp.resolve("results.jsonl");

        Process first = start(corpus, results, "--batch-size", "1");
        waitForRecords(results, 10, first);
        first.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as("the child died of SIGKILL").isEqualTo(137);
        int recordedBeforeKill = Files.readAllLines(results).size();

        Process second = start(corpus, results, "--resume");
        assertThat(second.waitFor(240, TimeUnit.SECONDS)).as("the resumed run finishes").isTrue();
        assertThat(second.exitValue()).as("exit code of the resumed run; its output:%n%s", output(second)).isZero();

        List<DocumentRecord> records = CliTest.records(results);
        List<String> paths = records.stream().map(DocumentRecord::path).toList();
        assertThat(paths).as("no document recorded twice").doesNotHaveDuplicates();
        long documents;
        try (var files = Files.walk(corpus)) {
            documents = files.filter(Files::isRegularFile).count();
        }
        assertThat(records).as("every document recorded").hasSize((int) documents);
        assertThat(recordedBeforeKill).as("the kill came midway").isLessThan((int) documents);

        CollectingSink reference = new CollectingSink();
        try (DocumentClassifier classifier = DocumentClassifier.builder().build()) {
            classifier.run(DocumentSources.directory(corpus, false), reference);
        }
        assertThat(labels(records)).as("labels after kill + resume vs an uninterrupted run")
                .isEqualTo(labels(reference.records()));
    }

    @Test
    void sigterm_finishesTheDocumentsInFlight_flushes_andPrintsTheSummary() throws Exception {
        Path corpus = Corpus.root().resolve("throughput_pdfs_papers_we_love/docs");
        Path results = temp.resolve("results.jsonl");

        Process child = start(corpus, results, "--batch-size", "1000");
        waitForRecords(results, 3, child);
        child.destroy(); // SIGTERM
        assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("the child stops").isTrue();
        assertThat(child.exitValue()).as("128 + SIGTERM").isEqualTo(143);

        String output = output(child);
        int recorded = CliTest.records(results).size();
        assertThat(output).as("the summary names what was recorded").contains("Stopped after " + recorded + " documents",
                "Continue with the same command plus --resume");
        assertThat(Files.readString(results)).as("only whole lines").endsWith("\n");
    }

    private Process start(Path corpus, Path results, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "classify", corpus.toString(),
                "-o", results.toString(), "-w", "1", "--no-progress"));
        command.addAll(List.of(extra));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve("child-" + System.nanoTime() + ".log").toFile()).start();
    }

    private static void waitForRecords(Path results, int wanted, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && child.isAlive()) {
            if (Files.exists(results) && Files.readAllLines(results).size() >= wanted) {
                return;
            }
            child.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("the child wrote fewer than " + wanted + " records before "
                + (child.isAlive() ? "the deadline" : "exiting with " + child.exitValue()));
    }

    private String output(Process process) throws IOException {
        try (var logs = Files.list(temp)) {
            return logs.filter(p -> p.getFileName().toString().startsWith("child-")).map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    return e.toString();
                }
            }).collect(Collectors.joining("\n"));
        }
    }

    private static Map<String, String> labels(List<DocumentRecord> records) {
        return records.stream().collect(Collectors.toMap(DocumentRecord::path,
                r -> r.label() != null ? r.label() : r.outcome().code()));
    }
}
