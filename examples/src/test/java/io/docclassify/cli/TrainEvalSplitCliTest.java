package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docclassify.classify.Taxonomy;
import io.docclassify.contract.Corpus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code split}, {@code train} and {@code eval} on 50 real BBC articles, in-process. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TrainEvalSplitCliTest {

    static final List<String> TOPICS = List.of("business", "entertainment", "politics", "sport", "tech");

    @TempDir
    Path temp;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();
    private Path all;

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** 10 articles per topic, every 20th, with paths relative to the CSV as the format says. */
    @BeforeEach
    void labelsCsv() throws IOException {
        Path base = Corpus.root().toAbsolutePath().normalize();
        StringBuilder csv = new StringBuilder("path,label,extra\n");
        for (String topic : TOPICS) {
            try (Stream<Path> files = Files.list(base.resolve("bbc_news/docs").resolve(topic))) {
                List<Path> sorted = files.sorted().toList();
                for (int i = 0; i < 10; i++) {
                    csv.append(temp.relativize(sorted.get(i * 20))).append(',').append(topic).append(",x\n");
                }
            }
        }
        all = Files.writeString(temp.resolve("all.csv"), csv);
    }

    @Test
    void split_isStratifiedDeterministic_andKeepsPathsValid() throws IOException {
        Path sub = Files.createDirectories(temp.resolve("sub"));
        assertThat(run("split", "--labels", all.toString(), "--test", "0.5", "--seed", "42", "--train-out",
                sub.resolve("train.csv").toString(), "--test-out", temp.resolve("test.csv").toString()))
                .as("exit code; stderr: %s", err).isZero();
        List<String> train = Files.readAllLines(sub.resolve("train.csv"));
        List<String> test = Files.readAllLines(temp.resolve("test.csv"));

        assertThat(train.get(0)).as("every column kept").isEqualTo("path,label,extra");
        assertThat(train).hasSize(26);
        assertThat(test).hasSize(26);
        for (String topic : TOPICS) {
            assertThat(test.stream().filter(l -> l.contains("," + topic + ",")).count()).as("test rows of %s", topic)
                    .isEqualTo(5);
        }
        for (String line : train.subList(1, train.size())) {
            assertThat(sub.resolve(line.split(",")[0])).as("path relative to the train CSV's folder").isRegularFile();
        }
        assertThat(out.toString()).contains("business", "wrote");

        assertThat(run("split", "--labels", all.toString(), "--test", "0.5", "--seed", "42", "--train-out",
                temp.resolve("again.csv").toString(), "--test-out", temp.resolve("test2.csv").toString())).isZero();
        assertThat(Files.readAllLines(temp.resolve("test2.csv"))).as("same seed, same cut").isEqualTo(test);
    }

    @Test
    void trainThenEval_printsWhatItLearned_andScoresTheHeldOutHalf() throws IOException {
        assertThat(run("split", "--labels", all.toString(), "--seed", "1", "--train-out", temp.resolve("train.csv").toString(),
                "--test-out", temp.resolve("test.csv").toString())).isZero();
        Path model = temp.resolve("model.bin");

        assertThat(run("train", "--labels", temp.resolve("train.csv").toString(), "--out", model.toString(),
                "--validation", "0.4", "-w", "2")).as("train exit code; stderr: %s", err).isZero();
        assertThat(out.toString()).contains("read     25 documents", "validate 10 held out", "accuracy", "macro-F1",
                "business=5", "features", "trained  linear@", "wrote    " + model);
        assertThat(model).isRegularFile();

        Path json = temp.resolve("eval.json");
        assertThat(run("eval", "--labels", temp.resolve("test.csv").toString(), "--model", model.toString(), "--json",
                json.toString(), "-w", "2")).as("eval exit code; stderr: %s", err).isZero();
        assertThat(out.toString()).contains("classifier   linear@", "documents/second", "accuracy", "macro-F1", "precision",
                "confusion matrix", "sport");
        JsonNode figures = new ObjectMapper().readTree(json.toFile());
        assertThat(figures.path("documents").asInt()).isEqualTo(25);
        assertThat(figures.path("accuracy").asDouble()).as("accuracy on 25 unseen articles").isGreaterThanOrEqualTo(0.6);
        assertThat(figures.path("perLabel").path("tech").path("support").asInt()).isEqualTo(5);
        assertThat(figures.path("confusion").path("sport").isObject()).isTrue();
    }

    @Test
    void eval_rulesClassifier_onAnotherLabelColumn_countsUnknownLabelsAsWrong() throws IOException {
        Path csv = Files.writeString(temp.resolve("types.csv"),
                Files.readString(all).replace("path,label,extra", "path,topic,doc_type").replace(",x\n", ",news_article\n"));

        assertThat(run("eval", "--labels", csv.toString(), "--label-column", "doc_type", "--classifier", "rules"))
                .as("exit code; stderr: %s", err).isZero();
        assertThat(out.toString()).contains("classifier   rules", "news_article", "support");
    }

    @Test
    void eval_missingFile_countsAsFailed() throws IOException {
        Path csv = Files.writeString(temp.resolve("m.csv"), Files.readString(all) + "nowhere.txt,tech,x\n");
        Path model = temp.resolve("m.bin");
        assertThat(run("train", "--labels", all.toString(), "--out", model.toString(), "--validation", "0")).isZero();

        assertThat(run("eval", "--labels", csv.toString(), "--model", model.toString())).isZero();
        assertThat(out.toString()).contains("1 failed", "failed");
    }

    @Test
    void train_missingAndEmptyFiles_areSkippedByLine() throws IOException {
        Files.createFile(temp.resolve("empty.txt"));
        Path csv = Files.writeString(temp.resolve("t.csv"), Files.readString(all) + "gone.txt,tech,x\nempty.txt,tech,x\n");

        assertThat(run("train", "--labels", csv.toString(), "--out", temp.resolve("m.bin").toString(), "--validation", "0"))
                .as("exit code; stderr: %s", err).isZero();
        assertThat(out.toString()).contains("skipped  t.csv line 52: gone.txt: no such file",
                "skipped  t.csv line 53: empty.txt: the file has no bytes", "2 skipped");
    }

    @Test
    void train_featuresAuto_scoresBothSetsOnTheHoldOut_andTrainsTheBetter() throws IOException {
        Path model = temp.resolve("auto.bin");

        assertThat(run("train", "--labels", all.toString(), "--out", model.toString(), "--validation", "0.4", "-w", "2"))
                .as("exit code; stderr: %s", err).isZero();

        String printed = out.toString();
        assertThat(printed).contains("validate 20 held out", "accuracy", "(words)", "(words+embedding)",
                "(--features auto: validation accuracy ");
        String choice = printed.lines().filter(l -> l.contains("(--features auto")).findFirst().orElseThrow();
        boolean combined = choice.startsWith("features words+embedding ");
        assertThat(printed).as("the features line says what the model reads")
                .contains(combined ? "+ 384 MiniLM sentence features" : "title words; sublinear tf-idf, L2); C =");
        assertThat(io.docclassify.classify.LinearClassifier.load(model).settings().features().label())
                .as("the model file reads what was chosen").isEqualTo(combined ? "words+embedding" : "words");
    }

    @Test
    void train_featuresUnknown_isAUsageErrorNamingTheChoices() {
        assertThat(run("train", "--labels", all.toString(), "--out", temp.resolve("m.bin").toString(), "--features",
                "embedding")).isEqualTo(2);
        assertThat(err.toString()).contains("--features must be words, words+embedding or auto, got 'embedding'");
    }

    @Test
    void train_oneLabelLeft_isAUsageError() throws IOException {
        Path csv = Files.writeString(temp.resolve("one.csv"), "path,label\n" + Files.readAllLines(all).get(1).replace(",x", "")
                + "\ngone.txt,tech\n");

        assertThat(run("train", "--labels", csv.toString(), "--out", temp.resolve("m.bin").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("1 label (business) after skipping 1 rows", "at least 2 labels");
    }

    @Test
    void trainEmbedding_writesATaxonomyWithExamples_thatEvalUses() throws IOException {
        assertThat(run("split", "--labels", all.toString(), "--seed", "1", "--train-out", temp.resolve("train.csv").toString(),
                "--test-out", temp.resolve("test.csv").toString())).isZero();
        Path fewShot = Files.createDirectories(temp.resolve("models")).resolve("fewshot.yaml");

        assertThat(run("train", "--kind", "embedding", "--labels", temp.resolve("train.csv").toString(), "--out",
                fewShot.toString(), "--examples-per-label", "3", "--seed", "7", "--validation", "0.4", "-w", "2"))
                .as("train exit code; stderr: %s", err).isZero();
        assertThat(out.toString()).contains("read     25 documents", "validate 10 held out", "accuracy",
                "examples {business=3, entertainment=3, politics=3, sport=3, tech=3} (at most 3 per label, seed 7)",
                "no fallback label", "wrote    " + fewShot);
        String yaml = Files.readString(fewShot);
        assertThat(yaml).as("paths relative to the written file").contains("examples:", "- ../../", "description: sport")
                .doesNotContain(temp.toString());
        Taxonomy written = Taxonomy.load(fewShot);
        assertThat(written.labelNames()).containsExactly("business", "entertainment", "politics", "sport", "tech", "other");
        assertThat(written.labels()).allSatisfy(l -> assertThat(l.examples()).hasSize(3));
        assertThat(written.minConfidence()).isZero();

        assertThat(run("train", "--kind", "embedding", "--labels", temp.resolve("train.csv").toString(), "--out",
                fewShot.toString(), "--examples-per-label", "3", "--seed", "7", "--validation", "0")).isZero();
        assertThat(Files.readString(fewShot)).as("same seed, same file").isEqualTo(yaml);

        Path json = temp.resolve("eval.json");
        assertThat(run("eval", "--labels", temp.resolve("test.csv").toString(), "--classifier", "embedding", "--taxonomy",
                fewShot.toString(), "--json", json.toString(), "-w", "2")).as("eval exit code; stderr: %s", err).isZero();
        assertThat(out.toString()).contains("classifier   embedding@");
        JsonNode figures = new ObjectMapper().readTree(json.toFile());
        assertThat(figures.path("documents").asInt()).isEqualTo(25);
        assertThat(figures.path("accuracy").asDouble()).as("accuracy on 25 unseen articles").isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void trainEmbedding_onATaxonomy_keepsItsLabels_andDescribesNewOnesByName() throws IOException {
        Path base = Files.writeString(temp.resolve("base.yaml"), """
                other: unsure
                minConfidence: 0.3
                labels:
                  - name: sport
                    description: Sport news about matches and players.
                    keywords: {match: 1.0}
                  - name: weather
                    description: Weather forecasts.
                """);
        Path fewShot = temp.resolve("fewshot.yml");

        assertThat(run("train", "--kind", "embedding", "--labels", all.toString(), "--taxonomy", base.toString(), "--out",
                fewShot.toString(), "--validation", "0")).as("exit code; stderr: %s", err).isZero();
        assertThat(out.toString()).contains("(all documents of the CSV)", "plus the labels of the CSV it lacks");
        Taxonomy written = Taxonomy.load(fewShot);
        assertThat(written.other()).isEqualTo("unsure");
        assertThat(written.minConfidence()).isEqualTo(0.3);
        assertThat(written.labelNames()).containsExactly("sport", "weather", "business", "entertainment", "politics", "tech",
                "unsure");
        assertThat(written.labels().get(0).description()).isEqualTo("Sport news about matches and players.");
        assertThat(written.labels().get(0).keywords()).containsKey("match");
        assertThat(written.labels().get(0).examples()).hasSize(10);
        assertThat(written.labels().get(1).examples()).isEmpty();
        assertThat(written.labels().get(2).description()).isEqualTo("business");
    }

    @Test
    void trainEmbedding_badOptions_areUsageErrors() {
        assertThat(run("train", "--labels", all.toString(), "--out", temp.resolve("m.bin").toString(), "--kind", "embedding"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--out must end in .yaml or .yml");
        assertThat(run("train", "--labels", all.toString(), "--out", temp.resolve("m.bin").toString(), "--taxonomy",
                temp.resolve("t.yaml").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("are for --kind embedding");
        assertThat(run("train", "--labels", all.toString(), "--out", temp.resolve("f.yaml").toString(), "--kind", "embedding",
                "--examples-per-label", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--examples-per-label must be >= 1");
    }

    @Test
    void eval_linearWithoutModel_orWithADamagedOne_isAUsageError() throws IOException {
        assertThat(run("eval", "--labels", all.toString(), "--classifier", "linear")).isEqualTo(2);
        assertThat(err.toString()).contains("needs a trained model: pass --model FILE");

        Path pdf = Corpus.papers(1).get(0);
        assertThat(run("eval", "--labels", all.toString(), "--model", pdf.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is not a doc-classify model");
    }

    @Test
    void split_badShare_isAUsageError() {
        assertThat(run("split", "--labels", all.toString(), "--test", "1.5", "--train-out", "a.csv", "--test-out", "b.csv"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--test must be a share between 0 and 1");
    }
}
