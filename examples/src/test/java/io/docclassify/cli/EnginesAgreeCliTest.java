package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.sink.RecordJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The same inputs give the same records on the {@code local} and the {@code async} engine, through the CLI. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EnginesAgreeCliTest extends InProcessCli {

    @TempDir
    Path temp;

    @Test
    void localAndAsync_giveTheSameRecords_forTheSampleDocsWithCopies() throws IOException {
        Path docs = Files.createDirectory(temp.resolve("docs"));
        List<Path> samples;
        try (Stream<Path> files = Files.list(CliTest.SAMPLE_DOCS)) {
            samples = files.sorted().toList();
        }
        for (Path sample : samples) {
            Files.copy(sample, docs.resolve(sample.getFileName()));
        }
        // Copies of three documents: with 50 in flight, each copy is hashed while its original is.
        for (int i = 0; i < 3; i++) {
            Path sample = samples.get(i * 5);
            Files.copy(sample, docs.resolve("copy-" + sample.getFileName()));
        }
        Path local = temp.resolve("local.jsonl");
        Path async = temp.resolve("async.jsonl");
        assertThat(run("classify", docs.toString(), "-o", local.toString(), "--no-progress", "--engine", "local", "-w", "2"))
                .as("local run; stderr: %s", err).isZero();
        // The seed system's spelling: max_concurrent=50, batch_size=100, deduplicate=True.
        assertThat(run("classify", docs.toString(), "-o", async.toString(), "--no-progress", "--engine", "async",
                "--max-concurrent", "50", "--batch-size", "100", "--dedup"))
                .as("async run; stderr: %s", err).isZero();
        assertThat(out.toString()).contains("(async engine, 50 in flight)");

        Map<String, String> localRecords = normalized(local);
        assertThat(localRecords).as("one record per file").hasSize(samples.size() + 3);
        assertThat(normalized(async)).as("records per path, async vs local").isEqualTo(localRecords);
    }

    @Test
    void maxConcurrent_zero_isRejectedWithTheValue() {
        assertThat(run("classify", CliTest.SAMPLE_DOCS.toString(), "--engine", "async", "--max-concurrent", "0",
                "-o", temp.resolve("r.jsonl").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--max-concurrent must be >= 1, got 0");
    }

    /**
     * Each path's record without its timings. Which copy of a content is processed and which becomes
     * its duplicate depends on timing, so the paths of one content map to that content's result.
     */
    private static Map<String, String> normalized(Path results) throws IOException {
        List<DocumentRecord> records;
        try (Stream<DocumentRecord> lines = RecordJson.read(results)) {
            records = lines.toList();
        }
        Map<String, List<DocumentRecord>> bySha = records.stream().filter(r -> r.sha256() != null)
                .collect(Collectors.groupingBy(DocumentRecord::sha256));
        Map<String, String> normalized = new TreeMap<>();
        for (DocumentRecord record : records) {
            List<DocumentRecord> same = record.sha256() == null ? List.of(record) : bySha.get(record.sha256());
            List<DocumentRecord> originals = same.stream().filter(r -> !(r.outcome() instanceof Outcome.Duplicate)).toList();
            assertThat(originals).as("one processed record for the content of %s", record.path()).hasSize(1);
            DocumentRecord original = originals.get(0);
            String result = new DocumentRecord(same.size() > 1 ? "one of " + same.size() + " copies" : original.path(),
                    original.sha256(), original.bytes(), original.mediaType(), original.pages(), original.chars(),
                    original.outcome(), original.classifier(), Map.of(), original.parserWarnings()).toString();
            normalized.put(Path.of(record.path()).getFileName().toString(), result);
        }
        return normalized;
    }
}
