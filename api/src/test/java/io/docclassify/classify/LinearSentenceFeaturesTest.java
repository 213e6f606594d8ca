package io.docclassify.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docclassify.ConfigurationException;
import io.docclassify.spi.ExtractedText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The linear model with MiniLM sentence features beside its words, and the model files of both kinds, on BBC articles. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LinearSentenceFeaturesTest {

    /** A model of words alone written by the version before sentence features (format 1): 8 articles per topic, 1,024 buckets. */
    static final String FORMAT1_MODEL = "format1-bbc.bin";
    static final String FORMAT1_ID = "linear@3cbb0180c131";

    static final LinearClassifier.Settings COMBINED = LinearClassifier.Settings.defaults()
            .withFeatures(LinearClassifier.Features.WORDS_AND_EMBEDDING);

    static LinearClassifier.SentenceCache cache = new LinearClassifier.SentenceCache();
    static LinearClassifier combined;
    static List<LinearClassifier.Example> heldOut;

    @TempDir
    Path temp;

    @BeforeAll
    static void train() {
        combined = LinearClassifier.train(BbcSample.examples(0, 8), COMBINED, cache);
        heldOut = BbcSample.examples(5, 8);
    }

    @Test
    void wordsAndEmbedding_fewArticlesPerTopic_classifiesUnseenOnesAtLeastAsWellAsWordsAlone() {
        LinearClassifier words = LinearClassifier.train(BbcSample.examples(0, 8), LinearClassifier.Settings.defaults());

        long rightCombined = heldOut.stream().filter(e -> combined.classify(e, cache).label().equals(e.label())).count();
        long rightWords = heldOut.stream().filter(e -> words.classify(ExtractedText.ofText(e.text())).label().equals(e.label()))
                .count();

        assertThat(rightCombined).as("right of %d unseen articles, 8 per topic trained, words + embedding", heldOut.size())
                .isGreaterThanOrEqualTo(34).isGreaterThanOrEqualTo(rightWords);
        assertThat(combined.settings().features()).isEqualTo(LinearClassifier.Features.WORDS_AND_EMBEDDING);
        assertThat(combined.id()).as("a different model than words alone").matches("linear@[0-9a-f]{12}")
                .isNotEqualTo(words.id());
    }

    @Test
    void classify_anExtractedText_readsTheSentenceVectorAsTrainingDid() {
        LinearClassifier.Example e = heldOut.get(3);

        assertThat(combined.classify(new ExtractedText(e.text(), e.title(), "text/plain", null, e.text().length(), true, 0)))
                .as("classified from its text, the vector computed again").isEqualTo(combined.classify(e, cache));
    }

    @Test
    void modelFile_withSentenceFeatures_roundTrip_keepsFeaturesIdAndPredictions() throws IOException {
        Path file = temp.resolve("combined.bin");
        combined.save(file);
        LinearClassifier loaded = LinearClassifier.load(file);

        assertThat(ByteBuffer.wrap(Files.readAllBytes(file)).getInt(4)).as("format").isEqualTo(2);
        assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as("the header names the sentence model")
                .contains("\"set\" : \"words+embedding\"", "\"model\" : \"all-minilm-l6-v2-q\"", "\"dimensions\" : 384",
                        "\"windows\" : " + LinearClassifier.SENTENCE_WINDOWS);
        assertThat(loaded.id()).isEqualTo(combined.id());
        assertThat(loaded.settings()).isEqualTo(combined.settings());
        for (LinearClassifier.Example e : heldOut.subList(0, 10)) {
            assertThat(loaded.classify(e, cache)).as("prediction after a round trip").isEqualTo(combined.classify(e, cache));
        }
    }

    @Test
    void modelFile_ofWordsWrittenBeforeSentenceFeatures_readsAsWords_withItsIdAndBytes() throws IOException {
        Path file = temp.resolve(FORMAT1_MODEL);
        try (InputStream in = getClass().getResourceAsStream(FORMAT1_MODEL)) {
            Files.write(file, in.readAllBytes());
        }

        LinearClassifier old = LinearClassifier.load(file);

        assertThat(old.id()).as("records classified by it keep naming the same model").isEqualTo(FORMAT1_ID);
        assertThat(old.settings().features()).isEqualTo(LinearClassifier.Features.WORDS);
        assertThat(old.labels()).containsExactly("business", "entertainment", "politics", "sport", "tech");
        assertThat(old.classify(ExtractedText.ofText(heldOut.get(0).text())).scores()).hasSize(5);
        Path again = temp.resolve("again.bin");
        old.save(again);
        assertThat(Files.readAllBytes(again)).as("a model of words is still written in format 1, byte for byte")
                .isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void modelFile_ofAnotherSentenceModel_isRefusedSayingRetrain() throws IOException {
        Path file = temp.resolve("other.bin");
        combined.save(file);
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("all-minilm-l6-v2-q", "all-minilm-l6-v9-q");
        byte[] changed = Arrays.copyOf(text.getBytes(StandardCharsets.ISO_8859_1), bytes.length - 32);
        Files.write(file, changed);
        Files.write(file, LinearClassifier.sha256().digest(changed), java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> LinearClassifier.load(file)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("model file " + file + " reads sentence features of 'all-minilm-l6-v9-q'")
                .hasMessageContaining("which this version does not compute").hasMessageContaining("retrain it");
    }

    @Test
    void features_unknownName_isRefusedListingTheKnownOnes() {
        assertThat(LinearClassifier.Features.named("words+embedding")).isEqualTo(LinearClassifier.Features.WORDS_AND_EMBEDDING);
        assertThatThrownBy(() -> LinearClassifier.Features.named("embedding")).isInstanceOf(ConfigurationException.class)
                .hasMessage("features must be 'words' or 'words+embedding', got 'embedding'");
    }

    @Test
    void windows_startWithTheTitle_andSpreadOverTheText() {
        String text = "word ".repeat(600);

        List<String> windows = SentenceFeatures.windows("A title", text, 3);

        assertThat(windows).hasSize(3);
        assertThat(windows.get(0)).startsWith("A title\nword word").hasSize("A title\n".length() + 1_000);
        assertThat(windows.get(2)).hasSize(1_000);
        assertThat(SentenceFeatures.windows(null, "short", 3)).as("a short text gives one window").containsExactly("short");
        assertThat(SentenceFeatures.windows(null, " \n ", 3)).containsExactly("empty document");
    }
}
