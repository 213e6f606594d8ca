package io.docclassify.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docclassify.ConfigurationException;
import io.docclassify.Outcome;
import io.docclassify.contract.Corpus;
import io.docclassify.spi.ExtractedText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training, prediction and the model file, on real BBC articles. */
class LinearClassifierTest {

    static LinearClassifier model;
    static List<LinearClassifier.Example> heldOut;

    @TempDir
    Path temp;

    @BeforeAll
    static void train() {
        model = LinearClassifier.train(BbcSample.examples(0, 40), LinearClassifier.Settings.defaults());
        heldOut = BbcSample.examples(5, 10);
    }

    @Test
    void classify_unseenArticles_mostlyRight() {
        long right = heldOut.stream().filter(e -> model.classify(ExtractedText.ofText(e.text())).label().equals(e.label()))
                .count();

        assertThat(right).as("right of %d unseen articles after training on 40 per topic", heldOut.size())
                .isGreaterThanOrEqualTo(45);
    }

    @Test
    void classify_scores_coverAllLabels_sumToOne_rankedWithConfidenceOnTop() {
        Outcome.Classified outcome = model.classify(ExtractedText.ofText(heldOut.get(0).text()));

        assertThat(outcome.scores().keySet()).as("scores name every label").containsExactlyInAnyOrderElementsOf(model.labels());
        assertThat(outcome.scores().values().stream().mapToDouble(Double::doubleValue).sum()).as("sum of %s", outcome.scores())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(List.copyOf(outcome.scores().values())).as("ranked by score").isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(outcome.scores().keySet().iterator().next()).isEqualTo(outcome.label());
        assertThat(outcome.confidence()).isEqualTo(outcome.scores().get(outcome.label()));
    }

    @Test
    void id_namesTheModelContent_andTrainingAgainGivesTheSameId() {
        LinearClassifier again = LinearClassifier.train(BbcSample.examples(0, 40), LinearClassifier.Settings.defaults());
        LinearClassifier other = LinearClassifier.train(BbcSample.examples(1, 40), LinearClassifier.Settings.defaults());

        assertThat(model.id()).matches("linear@[0-9a-f]{12}");
        assertThat(again.id()).as("same documents and settings, same model").isEqualTo(model.id());
        assertThat(other.id()).as("other documents, another model").isNotEqualTo(model.id());
        assertThat(again.provenance().trainingDigest()).isEqualTo(model.provenance().trainingDigest());
    }

    @Test
    void title_isAFeature() {
        ExtractedText body = ExtractedText.ofText("results announced today");
        ExtractedText titled = new ExtractedText("results announced today", "Chelsea beat Arsenal in the league cup final",
                "text/plain", null, 23, true, 0);

        assertThat(model.classify(titled).scores()).as("a title changes the scores").isNotEqualTo(model.classify(body).scores());
    }

    @Test
    void modelFile_roundTrip_keepsIdLabelsProvenanceAndPredictions() throws IOException {
        Path file = temp.resolve("model.bin");
        model.save(file);
        LinearClassifier loaded = LinearClassifier.load(file);

        assertThat(loaded.id()).isEqualTo(model.id());
        assertThat(loaded.labels()).isEqualTo(model.labels());
        assertThat(loaded.settings()).isEqualTo(model.settings());
        assertThat(loaded.provenance()).isEqualTo(model.provenance());
        for (LinearClassifier.Example e : heldOut) {
            ExtractedText text = ExtractedText.ofText(e.text());
            assertThat(loaded.classify(text)).as("prediction after a round trip").isEqualTo(model.classify(text));
        }
        assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1))
                .as("the header says what the file is").startsWith("DCLM").contains("\"labels\"", "\"createdAt\"",
                        "\"sha256\"", "\"docClassifyVersion\"", "\"buckets\"");
    }

    @Test
    void modelFile_flippedByte_isRefusedAsDamaged() throws IOException {
        Path file = temp.resolve("model.bin");
        model.save(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);

        assertThatThrownBy(() -> LinearClassifier.load(file)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(file + " is damaged").hasMessageContaining("SHA-256 does not match")
                .hasMessageContaining("retrain");
    }

    @Test
    void modelFile_truncated_isRefusedAsDamaged() throws IOException {
        Path file = temp.resolve("model.bin");
        model.save(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 1000));

        assertThatThrownBy(() -> LinearClassifier.load(file)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("is damaged").hasMessageContaining("cut short");
    }

    @Test
    void modelFile_foreignFile_isRefusedAsNotAModel() {
        Path pdf = Corpus.papers(1).get(0);

        assertThatThrownBy(() -> LinearClassifier.load(pdf)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("is not a doc-classify model").hasMessageContaining("'%PDF")
                .hasMessageContaining("LinearClassifier.save");
    }

    @Test
    void modelFile_empty_isRefusedAsNotAModel() throws IOException {
        Path file = Files.createFile(temp.resolve("empty.bin"));

        assertThatThrownBy(() -> LinearClassifier.load(file)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("is not a doc-classify model").hasMessageContaining("empty");
    }

    @Test
    void modelFile_newerFormat_isRefusedWithUpgradeOrRetrain() throws IOException {
        Path file = temp.resolve("model.bin");
        model.save(file);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(4, 3);
        Files.write(file, bytes);

        assertThatThrownBy(() -> LinearClassifier.load(file)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("written by a newer doc-classify (model format 3, this one reads up to 2)")
                .hasMessageContaining("upgrade doc-classify or retrain");
    }

    @Test
    void modelFile_missing_saysHowToTrainOne() {
        Path file = temp.resolve("nothing.bin");

        assertThatThrownBy(() -> LinearClassifier.load(file)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("does not exist").hasMessageContaining("LinearClassifier.train");
    }

    @Test
    void train_oneLabel_isRefusedNamingIt() {
        List<LinearClassifier.Example> one = List.of(LinearClassifier.Example.of("sport", "goal"),
                LinearClassifier.Example.of("sport", "match"));

        assertThatThrownBy(() -> LinearClassifier.train(one, LinearClassifier.Settings.defaults()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("at least 2 labels, got 1 (sport)");
    }

    @Test
    void train_aLabelWithOneExample_trainsAndKnowsIt() {
        List<LinearClassifier.Example> examples = new java.util.ArrayList<>(BbcSample.examples(0, 5));
        examples.add(LinearClassifier.Example.of("weather", "rain and wind tomorrow, sunny spells later"));

        LinearClassifier trained = LinearClassifier.train(examples, LinearClassifier.Settings.defaults());

        assertThat(trained.labels()).contains("weather");
        assertThat(trained.provenance().examplesPerLabel()).containsEntry("weather", 1);
    }

    @Test
    void settings_badBuckets_andBadC_areRefusedWithTheRange() {
        assertThatThrownBy(() -> LinearClassifier.Settings.defaults().withBuckets(1000))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("power of two").hasMessageContaining("1000");
        assertThatThrownBy(() -> LinearClassifier.Settings.defaults().withC(0))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("must be > 0");
    }
}
