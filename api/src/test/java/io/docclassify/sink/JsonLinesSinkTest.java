package io.docclassify.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.docclassify.ConfigurationException;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.Stage;
import io.docclassify.concurrent.TimeSource;
import io.docclassify.spi.PriorResults;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesSinkTest extends SinkContract {

    /** Long enough that only the batch size or an explicit flush writes. */
    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path dir;

    private static DocumentRecord classified(String path, String sha) {
        return new DocumentRecord(path, sha, 12L, "text/plain", null, 12,
                new Outcome.Classified("invoice", 0.9, Map.of("invoice", 0.9, "receipt", 0.1)), "rules",
                Map.of("hash", 1L), 0);
    }

    private static DocumentRecord failed(String path, String sha) {
        return new DocumentRecord(path, sha, sha == null ? null : 5L, null, null, null,
                new Outcome.Failed(sha == null ? Stage.READ : Stage.EXTRACT, "parse_error", "broken"), null, null, 0);
    }

    private static DocumentRecord duplicate(String path, String sha) {
        return new DocumentRecord(path, sha, 12L, null, null, null, new Outcome.Duplicate(sha), null, null, 0);
    }

    @Override
    protected BatchingSink open(boolean resume, int batchSize, Faults faults) throws IOException {
        return JsonLinesSink.open(dir.resolve("contract.jsonl"), resume ? JsonLinesSink.Mode.RESUME
                : JsonLinesSink.Mode.OVERWRITE, batchSize, Duration.ZERO, TimeSource.system(),
                channel -> new FaultyChannel(channel, faults));
    }

    @Override
    protected Set<String> storedPaths() throws IOException {
        Path file = dir.resolve("contract.jsonl");
        if (!Files.exists(file)) {
            return Set.of();
        }
        Set<String> paths = new HashSet<>();
        for (String line : Files.readAllLines(file, UTF_8)) {
            paths.add(RecordJson.fromJson(line).path());
        }
        return paths;
    }

    /** A file channel that stalls, fails, or writes half a batch and dies, as the contract's faults say. */
    private record FaultyChannel(WritableByteChannel file, Faults faults) implements WritableByteChannel {
        @Override
        public int write(ByteBuffer bytes) throws IOException {
            faults.beforeWrite();
            if (faults.crashNow()) {
                ByteBuffer half = bytes.slice(0, bytes.remaining() / 2);
                while (half.hasRemaining()) {
                    file.write(half);
                }
                throw new IOException("the process died half-way through a write (a crash the test injected)");
            }
            return file.write(bytes);
        }

        @Override
        public boolean isOpen() {
            return file.isOpen();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    private Path fileWith(String content) throws IOException {
        Path file = dir.resolve("results.jsonl");
        Files.writeString(file, content, UTF_8);
        return file;
    }

    private static String lines(DocumentRecord... records) {
        StringBuilder text = new StringBuilder();
        for (DocumentRecord record : records) {
            text.append(RecordJson.toJson(record)).append('\n');
        }
        return text.toString();
    }

    private static List<DocumentRecord> onDisk(Path file) throws IOException {
        try (Stream<DocumentRecord> records = RecordJson.read(file)) {
            return records.toList();
        }
    }

    @Test
    void create_existingNonEmptyFile_isRefusedNamingResumeAndOverwrite() throws IOException {
        Path file = fileWith(lines(classified("a.txt", SHA_A)));

        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> JsonLinesSink.open(file, JsonLinesSink.Mode.CREATE));

        assertThat(e.getMessage()).as("the refusal must tell the user both ways out")
                .contains(file.toString()).contains("JsonLinesSink.Mode.RESUME").contains("JsonLinesSink.Mode.OVERWRITE");
        assertThat(Files.readString(file)).as("a refused CREATE must leave the old results alone")
                .isEqualTo(lines(classified("a.txt", SHA_A)));
    }

    @Test
    void create_emptyOrMissingFile_isAccepted() throws IOException {
        Path empty = fileWith("");
        try (JsonLinesSink sink = JsonLinesSink.open(empty, JsonLinesSink.Mode.CREATE)) {
            sink.accept(classified("a.txt", SHA_A));
        }
        assertThat(onDisk(empty)).containsExactly(classified("a.txt", SHA_A));

        Path nested = dir.resolve("new/folder/out.jsonl");
        try (JsonLinesSink sink = JsonLinesSink.open(nested, JsonLinesSink.Mode.CREATE)) {
            sink.accept(failed("b.txt", SHA_B));
        }
        assertThat(onDisk(nested)).as("CREATE should make missing parent folders").containsExactly(failed("b.txt", SHA_B));
    }

    @Test
    void overwrite_replacesEarlierRecords() throws IOException {
        Path file = fileWith(lines(classified("old.txt", SHA_A), failed("old2.txt", SHA_B)));

        try (JsonLinesSink sink = JsonLinesSink.open(file, JsonLinesSink.Mode.OVERWRITE)) {
            assertThat(sink.priorResults().size()).as("OVERWRITE starts from nothing").isZero();
            sink.accept(classified("new.txt", SHA_C));
        }

        assertThat(onDisk(file)).as("only the new run's records may remain").containsExactly(classified("new.txt", SHA_C));
    }

    @Test
    void resume_keepsRecordsAndExposesThemAsPriorResults() throws IOException {
        Path file = fileWith(lines(classified("a.txt", SHA_A), failed("b.txt", SHA_B), duplicate("c.txt", SHA_C),
                failed("gone.txt", null)));

        try (JsonLinesSink sink = JsonLinesSink.open(file, JsonLinesSink.Mode.RESUME)) {
            PriorResults prior = sink.priorResults();
            assertThat(prior.size()).isEqualTo(4);
            assertThat(prior.hasRecord("a.txt", SHA_A)).as("classified a.txt").isTrue();
            assertThat(prior.hasRecord("b.txt", SHA_B)).as("failed b.txt").isTrue();
            assertThat(prior.hasRecord("c.txt", SHA_C)).as("duplicate c.txt").isTrue();
            assertThat(prior.hasRecord("gone.txt", null)).as("unreadable gone.txt, recorded without sha256").isTrue();
            assertThat(prior.hasRecord("a.txt", SHA_B)).as("same path, changed content is not done").isFalse();
            assertThat(prior.hasRecord("other.txt", SHA_A)).as("same content, other path is not done").isFalse();
            assertThat(prior.hasRecord("a.txt", null)).as("a.txt was recorded with a sha256").isFalse();

            assertThat(prior.hasContent(SHA_A)).as("classified content is known").isTrue();
            assertThat(prior.hasContent(SHA_B)).as("failed content is known").isTrue();
            assertThat(prior.hasContent(SHA_C)).as("a duplicate record must not make its content count as done")
                    .isFalse();
            sink.accept(classified("d.txt", "d".repeat(64)));
        }

        assertThat(onDisk(file)).extracting(DocumentRecord::path)
                .as("resume keeps the old records and appends").containsExactly("a.txt", "b.txt", "c.txt", "gone.txt", "d.txt");
    }

    @Test
    void resume_halfWrittenLastLine_isDroppedAndAppendsStartOnAWholeLine() throws IOException {
        String whole = lines(classified("a.txt", SHA_A), failed("b.txt", SHA_B));
        String cut = RecordJson.toJson(classified("c.txt", SHA_C));
        Path file = fileWith(whole + cut.substring(0, cut.length() / 2));

        try (JsonLinesSink sink = JsonLinesSink.open(file, JsonLinesSink.Mode.RESUME)) {
            assertThat(Files.readString(file, UTF_8)).as("the cut line must be gone once the file is opened")
                    .isEqualTo(whole);
            assertThat(sink.priorResults().size()).isEqualTo(2);
            assertThat(sink.priorResults().hasRecord("c.txt", SHA_C)).as("the cut record is not done").isFalse();
            sink.accept(classified("c.txt", SHA_C));
        }

        List<String> raw = Files.readAllLines(file, UTF_8);
        assertThat(raw).as("every line must be a whole record").hasSize(3)
                .allSatisfy(line -> assertThat(RecordJson.fromJson(line)).isNotNull());
        assertThat(onDisk(file)).extracting(DocumentRecord::path).containsExactly("a.txt", "b.txt", "c.txt");
    }

    @Test
    void resume_fileWithOnlyACutLine_becomesEmpty() throws IOException {
        String cut = RecordJson.toJson(classified("a.txt", SHA_A));
        Path file = fileWith(cut.substring(0, 20));

        try (JsonLinesSink sink = JsonLinesSink.open(file, JsonLinesSink.Mode.RESUME)) {
            assertThat(sink.priorResults().size()).isZero();
        }

        assertThat(Files.size(file)).as("nothing whole was in the file").isZero();
    }

    @Test
    void resume_lineThatIsNotJsonInTheMiddle_failsNamingItsLineNumber() throws IOException {
        Path file = fileWith(lines(classified("a.txt", SHA_A)) + "this is not json\n" + lines(failed("b.txt", SHA_B)));

        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> JsonLinesSink.open(file, JsonLinesSink.Mode.RESUME));

        assertThat(e.getMessage()).as("the user must know which line to fix")
                .contains("line 2").contains(file.toString()).contains("JsonLinesSink.Mode.OVERWRITE");
    }

    /** A line a person might have edited: valid JSON, but a classified record without its label. */
    @Test
    void resume_jsonLineThatIsNotARecord_failsNamingItsLineNumber() throws IOException {
        Path file = fileWith(lines(classified("a.txt", SHA_A)) + "{\"path\":\"b.txt\",\"outcome\":\"classified\"}\n");

        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> JsonLinesSink.open(file, JsonLinesSink.Mode.RESUME),
                "a JSON line that is not a valid record must be reported like any other bad line");

        assertThat(e.getMessage()).contains("line 2");
    }

    @Test
    void open_badArguments_areRejectedWithHint() {
        ConfigurationException batch = assertThrows(ConfigurationException.class,
                () -> JsonLinesSink.open(dir.resolve("x.jsonl"), JsonLinesSink.Mode.CREATE, 0, NEVER));
        assertThat(batch.getMessage()).contains("JsonLinesSink.batchSize must be >= 1, got 0");
        assertThat(batch.setting()).isEqualTo("JsonLinesSink.batchSize");
        assertThat(batch.value()).isEqualTo(0);

        ConfigurationException directory = assertThrows(ConfigurationException.class,
                () -> JsonLinesSink.open(dir, JsonLinesSink.Mode.CREATE));
        assertThat(directory.getMessage()).contains("is a directory").contains("results.jsonl");
    }
}
