package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentRecord;
import io.docclassify.sink.RecordJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in-process: exit codes, messages, outputs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CliTest extends InProcessCli {

    static final Path SAMPLE_DOCS = Path.of("sample-docs");

    @TempDir
    Path temp;

    @Test
    void classify_sampleDocs_writesOneRecordPerFile_andPrintsTheSummary() throws IOException {
        Path results = temp.resolve("results.jsonl");
        int code = run("classify", SAMPLE_DOCS.toString(), "-o", results.toString(), "--no-progress");

        assertThat(code).as("exit code; stderr: %s", err).isZero();
        long files;
        try (Stream<Path> docs = Files.list(SAMPLE_DOCS)) {
            files = docs.count();
        }
        assertThat(records(results)).hasSize((int) files);
        assertThat(out.toString()).contains("Classified " + files + " documents", "documents/hour", "projection",
                "500,000 documents", results.toString());
    }

    @Test
    void classify_isolated_givesTheSameRecordsAsInProcess() throws IOException {
        Path isolated = temp.resolve("isolated.jsonl");
        Path inProcess = temp.resolve("in-process.jsonl");
        assertThat(run("classify", SAMPLE_DOCS.toString(), "-o", isolated.toString(), "--no-progress", "--isolate",
                "--classifier", "rules", "--child-heap", "256m")).as("exit code; stderr: %s", err).isZero();
        assertThat(run("classify", SAMPLE_DOCS.toString(), "-o", inProcess.toString(), "--no-progress",
                "--classifier", "rules")).as("exit code; stderr: %s", err).isZero();
        assertThat(records(isolated)).usingRecursiveFieldByFieldElementComparatorIgnoringFields("timingsMs")
                .containsExactlyInAnyOrderElementsOf(records(inProcess));
    }

    @Test
    void childHeap_thatIsNoSize_isRejectedWithAnExample() {
        int code = run("classify", SAMPLE_DOCS.toString(), "--isolate", "--child-heap", "lots", "-o",
                temp.resolve("r.jsonl").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--child-heap must be a JVM heap size such as 512m or 2g, got 'lots'");
    }

    @Test
    void workers_zero_isRejectedWithHint() {
        int code = run("classify", SAMPLE_DOCS.toString(), "-w", "0", "-o", temp.resolve("r.jsonl").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--workers must be >= 1, got 0");
    }

    @Test
    void noInput_isRejectedWithHint() {
        assertThat(run("classify", "-o", temp.resolve("r.jsonl").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no input given");
    }

    @Test
    void missingInput_isRejectedBeforeAnyWork() {
        Path results = temp.resolve("r.jsonl");
        assertThat(run("classify", "no/such/folder", "-o", results.toString())).isEqualTo(StartFailure.INPUT);
        assertThat(err.toString()).contains("input no/such/folder does not exist");
        assertThat(results).doesNotExist();
    }

    @Test
    void unknownEngine_namesTheAvailableOnes_andLeavesTheOutputAlone() throws IOException {
        Path results = Files.writeString(temp.resolve("r.jsonl"), "{\"keep\":true}\n");
        assertThat(run("classify", SAMPLE_DOCS.toString(), "--engine", "warp", "--overwrite", "-o", results.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("engine 'warp' is not available", "local");
        assertThat(Files.readString(results)).as("a configuration mistake must not touch the output").contains("keep");
    }

    @Test
    void existingOutput_withoutResumeOrOverwrite_isRefused() throws IOException {
        Path results = Files.writeString(temp.resolve("r.jsonl"), "{}\n");
        assertThat(run("classify", SAMPLE_DOCS.toString(), "-o", results.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--resume", "--overwrite");
    }

    @Test
    void resumeAndOverwrite_together_areRefused() {
        assertThat(run("classify", SAMPLE_DOCS.toString(), "--resume", "--overwrite", "-o", temp.resolve("r").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--resume and --overwrite");
    }

    @Test
    void badFileSize_isRejectedWithAnExample() {
        assertThat(run("classify", SAMPLE_DOCS.toString(), "--max-file-size", "lots", "-o", temp.resolve("r").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--max-file-size", "100MiB", "'lots'");
    }

    @Test
    void unknownOption_isAUsageError() {
        assertThat(run("classify", SAMPLE_DOCS.toString(), "--frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--frobnicate'");
    }

    @Test
    void classifyParallel_theSeedSpelling_writesResultsSummaryAndCsvIntoTheDirectory() throws IOException {
        Path dir = temp.resolve("out");
        int code = run("classify-parallel", SAMPLE_DOCS.toString(), "-w", "2", "--chunk-size", "3", "-o", dir.toString(),
                "--export", "-v", "--no-progress");

        assertThat(code).as("exit code; stderr: %s", err).isZero();
        List<DocumentRecord> records = records(dir.resolve("results.jsonl"));
        assertThat(Files.readString(dir.resolve("summary.json"))).contains("\"documents\" : " + records.size());
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertThat(csv).hasSize(records.size() + 1);
        assertThat(csv.get(0)).startsWith("path,sha256,outcome,label");
    }

    @Test
    void resume_afterACompleteRun_skipsEverything() throws IOException {
        Path results = temp.resolve("r.jsonl");
        assertThat(run("classify", SAMPLE_DOCS.toString(), "-o", results.toString(), "--no-progress")).isZero();
        int before = records(results).size();

        assertThat(run("classify", SAMPLE_DOCS.toString(), "-o", results.toString(), "--resume", "--no-progress")).isZero();
        assertThat(records(results)).hasSize(before);
        assertThat(out.toString()).contains("skipped     " + before);
    }

    static List<DocumentRecord> records(Path results) throws IOException {
        try (Stream<DocumentRecord> records = RecordJson.read(results)) {
            return records.toList();
        }
    }
}
