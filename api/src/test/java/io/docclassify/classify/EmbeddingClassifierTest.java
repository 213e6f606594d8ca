package io.docclassify.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.docclassify.ConfigurationException;
import io.docclassify.Outcome;
import io.docclassify.spi.ExtractedText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EmbeddingClassifierTest {

    private static EmbeddingClassifier builtIn;

    @BeforeAll
    static void load() {
        builtIn = new EmbeddingClassifier(Taxonomy.builtIn());
    }

    @Test
    void obviousDocuments_getTheirType() {
        assertThat(builtIn.classify(ExtractedText.ofText("INVOICE\nInvoice No: 4711\nBill to: Example GmbH\n"
                + "Qty Description Unit price\n3 Widgets 10.00\nSubtotal 30.00 VAT 5.70 Amount due 35.70")).label())
                .isEqualTo("invoice");
        assertThat(builtIn.classify(ExtractedText.ofText("Jane Roe\nSoftware Engineer\nExperience\n2019-2024 Backend "
                + "developer at Example Corp\nEducation\nBSc Computer Science\nSkills: Java, SQL")).label())
                .isEqualTo("resume");
        assertThat(builtIn.classify(ExtractedText.ofText("Abstract\nWe propose a lock-free queue and prove it "
                + "linearizable. Our evaluation shows a 2x speed-up.\n1 Introduction\n... References\n[1] Herlihy"))
                .label()).isEqualTo("scientific_paper");
    }

    @Test
    void id_namesModelAndDigest() {
        assertThat(builtIn.id()).matches("embedding@document-types/[0-9a-f]{8}");
        EmbeddingClassifier corrected = new EmbeddingClassifier(Taxonomy.builtIn(),
                Map.of("memo", List.of("MEMORANDUM\nTo: All staff\nFrom: Facilities\nRe: Parking")));
        assertThat(corrected.id()).matches("embedding@all-minilm-l6-v2-q/[0-9a-f]{8}");
    }

    @Test
    void builtInTypes_embedOnlyWhenVectorsAreAskedFor_withTheSameLabels() {
        EmbeddingClassifier withVectors = new EmbeddingClassifier(Taxonomy.builtIn(), true);
        ExtractedText letter = ExtractedText.ofText("Dear Ms Roe,\nthank you for your letter of 3 May.\nYours sincerely,\nJohn Doe");
        Outcome.Classified plain = builtIn.classify(letter);
        Outcome.Classified vectored = withVectors.classify(letter);
        assertThat(plain.embedding()).isNull();
        assertThat(vectored.embedding()).hasSize(384);
        assertThat(vectored.withEmbedding(null)).isEqualTo(plain);
        assertThat(withVectors.id()).isEqualTo(builtIn.id());
        assertThat(DocumentTypeModel.builtIn().weighsSimilarities()).isFalse();
        assertThat(DocumentTypeModel.builtInWithSimilarities().weighsSimilarities()).isTrue();
    }

    @Test
    void scores_coverEveryLabelAndSumToOne() {
        Outcome.Classified out = builtIn.classify(ExtractedText.ofText("Dear Sir, thank you for your letter."));
        assertThat(out.scores()).containsOnlyKeys(Taxonomy.builtIn().labelNames());
        assertThat(out.scores().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void examples_shiftThePrediction(@TempDir Path dir) throws Exception {
        // Two made-up labels whose descriptions do not separate a text about ships; examples do.
        Taxonomy plain = new Taxonomy(List.of(
                new LabelDefinition("alpha", "Documents of the first kind.", null, null),
                new LabelDefinition("beta", "Documents of the second kind.", null, null)), "other", 0.0, 0.0);
        ExtractedText ship = ExtractedText.ofText("The cargo vessel left the harbour at dawn, loaded with containers for Rotterdam.");
        Files.writeString(dir.resolve("ships.txt"), "The tanker sailed from port with a full load; the crew sighted the coast at noon.");
        Files.writeString(dir.resolve("cakes.txt"), "Whisk the eggs with sugar, fold in the flour and bake the cake for forty minutes.");
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                labels:
                  - name: alpha
                    description: Documents of the first kind.
                    examples: [cakes.txt]
                  - name: beta
                    description: Documents of the second kind.
                    examples: [ships.txt]
                minConfidence: 0.0
                """);
        EmbeddingClassifier fewShot = new EmbeddingClassifier(Taxonomy.load(file));
        assertThat(fewShot.classify(ship).label()).as("with a ship example under beta").isEqualTo("beta");
        EmbeddingClassifier swapped = new EmbeddingClassifier(plain, Map.of("alpha", List.of(Files.readString(dir.resolve("ships.txt")))));
        assertThat(swapped.classify(ship).label()).as("with a ship example under alpha").isEqualTo("alpha");
        assertThat(fewShot.id()).isNotEqualTo(swapped.id());
    }

    @Test
    void fewShot_readsThreeWindows_zeroShotOneView() {
        String text = "word ".repeat(600);
        ExtractedText long3000 = new ExtractedText(text, "Title", "text/plain", null, text.length(), true, 0);
        assertThat(builtIn.views(long3000)).as("zero-shot: the view only").hasSize(1);

        Taxonomy own = new Taxonomy(List.of(
                new LabelDefinition("alpha", "Documents of the first kind.", null, null),
                new LabelDefinition("beta", "Documents of the second kind.", null, null)), "other", 0.0, 0.0);
        EmbeddingClassifier fewShot = new EmbeddingClassifier(own, Map.of("alpha", List.of("Invoice No 1")));
        List<String> views = fewShot.views(long3000);
        assertThat(views).hasSize(EmbeddingClassifier.WINDOWS);
        assertThat(views.get(0)).isEqualTo(EmbeddingClassifier.view(long3000));
        assertThat(views.get(1)).startsWith("word word").hasSizeLessThanOrEqualTo(EmbeddingClassifier.MODEL_CHARS);
        assertThat(fewShot.views(ExtractedText.ofText("short text"))).as("windows only as far as the text goes").hasSize(1);
    }

    @Test
    void builtInTypesWithExamples_keepTheOpeningView_andAreAnotherClassifier() {
        String text = "word ".repeat(600);
        ExtractedText long3000 = new ExtractedText(text, "Title", "text/plain", null, text.length(), true, 0);
        EmbeddingClassifier corrected = new EmbeddingClassifier(Taxonomy.builtIn(), Map.of("invoice", List.of("Invoice No 1")));
        assertThat(corrected.views(long3000)).as("the built-in types keep the opening their model was fitted on").hasSize(1);
        assertThat(corrected.id()).as("examples refit the model, so the id changes").isNotEqualTo(builtIn.id());
        assertThat(corrected.classify(long3000).scores()).containsOnlyKeys(Taxonomy.builtIn().labelNames());
    }

    @Test
    void missingExampleFile_isRejectedNamingTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                labels:
                  - name: alpha
                    examples: [nowhere/missing.pdf]
                  - name: beta
                    description: Documents of the second kind.
                """);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Taxonomy.load(file));
        assertThat(e.getMessage()).contains("missing.pdf").contains("alpha").contains("relative to the taxonomy file");
    }

    @Test
    void examplesForAnUnknownLabel_areRejected() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new EmbeddingClassifier(Taxonomy.builtIn(), Map.of("poem", List.of("Roses are red"))));
        assertThat(e.getMessage()).contains("'poem'").contains("invoice");
    }
}
