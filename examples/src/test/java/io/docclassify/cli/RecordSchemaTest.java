package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code docs/record.schema.json}, which the README points to, describes the records a real run writes. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RecordSchemaTest extends InProcessCli {

    static final Path SCHEMA = Path.of("../docs/record.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void everyRecordOfARealRun_matchesTheSchema_forEachOutcome() throws IOException {
        Path input = Files.createDirectories(temp.resolve("in"));
        try (Stream<Path> samples = Files.list(CliTest.SAMPLE_DOCS)) {
            for (Path file : samples.toList()) {
                Files.copy(file, input.resolve(file.getFileName()));
            }
        }
        Files.copy(CliTest.SAMPLE_DOCS.resolve("resume.html"), input.resolve("resume-copy.html"));
        Path results = temp.resolve("results.jsonl");
        assertThat(run("classify", input.toString(), "-o", results.toString(), "--no-progress"))
                .as("exit code; stderr: %s", err).isZero();

        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(JSON.readTree(SCHEMA.toFile()));
        Set<String> outcomes = new HashSet<>();
        List<String> lines = Files.readAllLines(results);
        for (String line : lines) {
            JsonNode record = JSON.readTree(line);
            Set<ValidationMessage> errors = schema.validate(record);
            assertThat(errors).as("schema errors of %s", line).isEmpty();
            outcomes.add(record.get("outcome").asText());
        }
        assertThat(outcomes).as("the run covers every outcome").containsExactlyInAnyOrder("classified", "failed", "duplicate");
    }

    @Test
    void theSchema_refusesARecordThatBreaksIt() throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(JSON.readTree(SCHEMA.toFile()));

        assertThat(schema.validate(JSON.readTree("{\"path\":\"a.pdf\",\"outcome\":\"classified\",\"confidence\":0.5}")))
                .as("a classified record without label or classifier").isNotEmpty();
        assertThat(schema.validate(JSON.readTree("{\"path\":\"a.pdf\",\"outcome\":\"failed\",\"colour\":\"red\"}")))
                .as("an unknown field and no failure").hasSizeGreaterThanOrEqualTo(2);
    }
}
