package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Options from a file ({@code @FILE}, as the README's "Option files" shows): comments, several per line, quotes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ArgumentFileCliTest extends InProcessCli {

    @TempDir
    Path temp;

    @Test
    void optionsFromAFile_addUpWithTheCommandLine() throws IOException {
        Path results = temp.resolve("with space").resolve("results.jsonl");
        Files.createDirectories(results.getParent());
        Path args = Files.writeString(temp.resolve("run.args"), """
                # run.args: the options of a nightly run
                --classifier rules --no-progress
                -o "%s"
                """.formatted(results));

        int code = run("classify", "@" + args, CliTest.SAMPLE_DOCS.toString());

        assertThat(code).as("exit code; stderr: %s", err).isZero();
        List<String> lines = Files.readAllLines(results);
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain("\"classifier\":\"embedding"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"classifier\":\"rules"));
    }

    /** picocli takes an @word that names no file as a plain argument, here an input, which does not exist. */
    @Test
    void aMissingArgumentFile_isReportedAsAnInputThatDoesNotExist() {
        int code = run("classify", "@" + temp.resolve("nowhere.args"), CliTest.SAMPLE_DOCS.toString(),
                "-o", temp.resolve("r.jsonl").toString());

        assertThat(code).isEqualTo(StartFailure.INPUT);
        assertThat(err.toString()).contains("input @" + temp.resolve("nowhere.args") + " does not exist");
    }
}
