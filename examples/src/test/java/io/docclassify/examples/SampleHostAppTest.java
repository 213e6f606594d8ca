package io.docclassify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The sample host application runs, and the README quotes its code as it is. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SampleHostAppTest {

    @TempDir
    Path temp;

    @Test
    void classifiesTheSampleFolder_andPrintsTheReport() throws Exception {
        Path output = temp.resolve("out.jsonl");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            SampleHostApp.main(new String[] {"sample-docs", output.toString()});
        } finally {
            System.setOut(original);
        }
        long documents;
        try (Stream<Path> files = Files.list(Path.of("sample-docs"))) {
            documents = files.count();
        }
        assertThat(Files.readAllLines(output)).hasSize((int) documents);
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith(documents + " documents: ").contains("documents/hour");
    }

    @Test
    void theReadme_quotesTheSampleCode_asItIs() throws Exception {
        List<String> source = Files.readAllLines(Path.of("src/main/java/io/docclassify/examples/SampleHostApp.java"));
        String quoted = source.subList(source.indexOf("        // README-BEGIN") + 1, source.indexOf("        // README-END"))
                .stream().map(line -> line.length() >= 8 ? line.substring(8) : line.strip())
                .collect(Collectors.joining("\n"));
        assertThat(Files.readString(Path.of("../README.md"))).as("README.md quotes SampleHostApp between its markers")
                .contains(quoted);
    }
}
