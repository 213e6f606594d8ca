package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.classify.LabelDefinition;
import io.docclassify.classify.Taxonomy;
import io.docclassify.contract.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrections of the built-in document types: {@code train --kind embedding --taxonomy builtin} on a
 * labels CSV of real documents writes a taxonomy with the built-in labels and the corrected documents as
 * examples, which {@code classify} then uses; rows labelled with the fallback are skipped. In-process.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BuiltInCorrectionsCliTest extends InProcessCli {

    @TempDir
    Path temp;

    @Test
    void builtInTaxonomy_learnsFromCorrections_andSkipsRowsOfItsFallback() throws IOException {
        Path docs = Corpus.root().resolve("document_types_broad/docs");
        List<String> rows = new ArrayList<>(List.of("path,predicted,confidence,label"));
        for (String label : List.of("receipt", "memo")) {
            firstTwo(docs.resolve(label)).forEach(f -> rows.add(f + ",invoice,0.4," + label));
        }
        firstTwo(docs.resolve("other")).stream().limit(1).forEach(f -> rows.add(f + ",manual,0.3,other"));
        Path csv = temp.resolve("review.csv");
        Files.write(csv, rows);

        Path taxonomy = temp.resolve("corrected.yaml");
        assertThat(run("train", "--kind", "embedding", "--taxonomy", "builtin", "--labels", csv.toString(),
                "--out", taxonomy.toString(), "--validation", "0", "-w", "2")).as("train exit code; stderr: %s", err).isZero();
        assertThat(out.toString()).contains("skipped  1 documents labelled 'other': the taxonomy's fallback takes no examples");
        Taxonomy corrected = Taxonomy.load(taxonomy);
        assertThat(corrected.labels().stream().map(LabelDefinition::name).toList())
                .as("the built-in labels, none added").isEqualTo(Taxonomy.builtIn().labels().stream().map(LabelDefinition::name).toList());
        assertThat(corrected.labels().stream().mapToInt(l -> l.examples().size()).sum()).as("the four corrections").isEqualTo(4);

        Path results = temp.resolve("results.jsonl");
        assertThat(run("classify", docs.resolve("receipt").toString(), "-o", results.toString(), "--no-progress",
                "--taxonomy", taxonomy.toString(), "-w", "2")).as("classify exit code; stderr: %s", err).isZero();
        assertThat(Files.readAllLines(results)).hasSize(110).allMatch(line -> line.contains("\"outcome\":\"classified\""));
    }

    private static List<Path> firstTwo(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().limit(2).map(p -> p.toAbsolutePath().normalize()).toList();
        }
    }
}
