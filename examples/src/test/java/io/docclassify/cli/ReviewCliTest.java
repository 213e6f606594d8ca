package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.classify.Taxonomy;
import io.docclassify.contract.Corpus;
import io.docclassify.sink.RecordJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code review} on the results of classifying 30 real BBC articles with the zero-shot topic
 * taxonomy, then {@code train} (both kinds) and {@code eval} on the review CSV a person filled in
 * part of; in-process.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReviewCliTest extends InProcessCli {

    static final List<String> TOPICS = List.of("business", "entertainment", "politics", "sport", "tech");
    static final Path TOPIC_TAXONOMY = Path.of("taxonomies/bbc-topics.yaml");

    @TempDir
    Path temp;

    private Path results;

    /** 6 articles per topic (every 30th), classified zero-shot by topic into results.jsonl. */
    @BeforeEach
    void classify() throws IOException {
        List<String> args = new ArrayList<>(List.of("classify"));
        for (String topic : TOPICS) {
            try (Stream<Path> files = Files.list(Corpus.root().resolve("bbc_news/docs").resolve(topic))) {
                List<Path> sorted = files.sorted().toList();
                for (int i = 0; i < 6; i++) {
                    args.add(sorted.get(i * 30).toAbsolutePath().normalize().toString());
                }
            }
        }
        results = temp.resolve("results.jsonl");
        args.addAll(List.of("-o", results.toString(), "--no-progress", "--taxonomy", TOPIC_TAXONOMY.toString(), "-w", "2"));
        assertThat(run(args.toArray(String[]::new))).as("classify exit code; stderr: %s", err).isZero();
    }

    @Test
    void review_writesTheLeastConfidentPerPredictedLabel_withPathsRelativeToTheCsv() throws IOException {
        Path csv = temp.resolve("sub/review.csv");

        assertThat(run("review", "--results", results.toString(), "--per-label", "2", "-o", csv.toString()))
                .as("exit code; stderr: %s", err).isZero();

        List<DocumentRecord> records;
        try (Stream<DocumentRecord> all = RecordJson.read(results)) {
            records = all.filter(r -> r.outcome() instanceof Outcome.Classified).toList();
        }
        Map<String, List<Double>> lowest = records.stream().collect(Collectors.groupingBy(
                r -> ((Outcome.Classified) r.outcome()).label(), Collectors.mapping(
                        r -> ((Outcome.Classified) r.outcome()).confidence(), Collectors.toList())));
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("path,predicted,confidence,label");
        List<String[]> rows = lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList();
        int expectedRows = lowest.values().stream().mapToInt(l -> Math.min(2, l.size())).sum();
        assertThat(rows).as("at most 2 per predicted label").hasSize(expectedRows);
        for (String[] row : rows) {
            assertThat(row).hasSize(4);
            assertThat(csv.getParent().resolve(row[0])).as("path relative to the CSV's folder").isRegularFile();
            assertThat(row[0]).doesNotStartWith("/");
            assertThat(row[3]).as("the label is left for a person").isEmpty();
            List<Double> ofLabel = lowest.get(row[1]).stream().sorted().toList();
            assertThat(Double.parseDouble(row[2])).as("one of the 2 least confident %s", row[1])
                    .isLessThanOrEqualTo(ofLabel.get(Math.min(1, ofLabel.size() - 1)));
        }
        assertThat(rows.stream().map(r -> r[1]).toList()).as("grouped by predicted label, in name order").isSorted();
        for (String label : lowest.keySet()) {
            assertThat(rows.stream().filter(r -> r[1].equals(label)).map(r -> Double.parseDouble(r[2])).toList())
                    .as("least confident first within %s", label).isSortedAccordingTo(Comparator.naturalOrder());
        }
        assertThat(out.toString()).contains("predicted", "in review", "wrote " + csv, "fill in the 'label' column");
    }

    @Test
    void reviewCsv_partlyLabelled_trainsBothKindsAndEvaluates_skippingEmptyLabels() throws IOException {
        Path csv = temp.resolve("review.csv");
        assertThat(run("review", "--results", results.toString(), "--per-label", "6", "-o", csv.toString())).isZero();
        List<String> lines = Files.readAllLines(csv);
        List<String> filled = new ArrayList<>(List.of(lines.get(0)));
        int left = 0;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i % 5 == 0) {
                filled.add(line);
                left++;
            } else {
                // the person writes the true topic: the article's folder
                filled.add(line + temp.resolve(line.split(",")[0]).normalize().getParent().getFileName());
            }
        }
        Files.write(csv, filled);
        int labelled = filled.size() - 1 - left;

        Path model = temp.resolve("model.bin");
        assertThat(run("train", "--labels", csv.toString(), "--out", model.toString(), "--validation", "0", "--features",
                "words", "-w", "2")).as("train exit code; stderr: %s", err).isZero();
        assertThat(out.toString()).contains("skipped  " + left + " rows with an empty 'label' column (not labelled yet)",
                "read     " + labelled + " documents");

        int evalStart = out.toString().length();
        assertThat(run("eval", "--labels", csv.toString(), "--model", model.toString(), "-w", "2"))
                .as("eval exit code; stderr: %s", err).isZero();
        assertThat(out.toString().substring(evalStart)).contains("skipped      " + left + " rows with an empty 'label' column",
                "documents    " + labelled + " in");

        Path fewShot = temp.resolve("fewshot.yaml");
        int fewShotStart = out.toString().length();
        assertThat(run("train", "--kind", "embedding", "--labels", csv.toString(), "--taxonomy", TOPIC_TAXONOMY.toString(),
                "--out", fewShot.toString(), "--validation", "0", "-w", "2")).as("train exit code; stderr: %s", err).isZero();
        assertThat(out.toString().substring(fewShotStart)).contains("skipped  " + left + " rows with an empty 'label' column");
        assertThat(Taxonomy.load(fewShot).labels().stream().mapToInt(l -> l.examples().size()).sum())
                .as("every labelled row is an example").isEqualTo(labelled);
    }

    @Test
    void review_missingResults_isAUsageErrorSayingHowToWriteOne() {
        Path none = temp.resolve("none.jsonl");

        assertThat(run("review", "--results", none.toString(), "-o", temp.resolve("r.csv").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("results file " + none + " does not exist or is not a file",
                "doc-classify classify INPUT -o " + none);
    }

    @Test
    void review_resultsWithoutClassifiedDocuments_isAUsageError() throws IOException {
        Path failed = temp.resolve("failed.jsonl");
        Path empty = Files.createFile(temp.resolve("empty.txt"));
        assertThat(run("classify", empty.toString(), "-o", failed.toString(), "--no-progress", "--classifier", "rules"))
                .as("classify exit code; stderr: %s", err).isZero();

        assertThat(run("review", "--results", failed.toString(), "-o", temp.resolve("r.csv").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("results file " + failed + " holds no classified document (1 failed or"
                + " duplicate records); nothing to review");
    }

    @Test
    void review_perLabelBelowOne_orAnExistingOutput_isAUsageError() throws IOException {
        assertThat(run("review", "--results", results.toString(), "--per-label", "0", "-o", temp.resolve("r.csv").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--per-label must be >= 1, got 0");

        Path filledIn = Files.writeString(temp.resolve("filled.csv"), "path,predicted,confidence,label\na.txt,tech,0.5,tech\n");
        assertThat(run("review", "--results", results.toString(), "-o", filledIn.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(filledIn + " exists (it may hold labels someone filled in); pass --overwrite");
        assertThat(Files.readString(filledIn)).as("left as it was").contains("a.txt,tech,0.5,tech");
    }
}
