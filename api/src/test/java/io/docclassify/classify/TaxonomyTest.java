package io.docclassify.classify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.docclassify.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaxonomyTest {

    private static final String TWO_LABELS_YAML = """
            other: misc
            minConfidence: 0.4
            minScore: 2.5
            labels:
              - name: invoice
                description: A bill.
                keywords:
                  invoice: 4
                  amount due: 3
              - name: email
                mediaTypes: [message/rfc822]
                keywords:
                  subject: 2
            """;

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, UTF_8);
        return file;
    }

    private ConfigurationException loadFails(String name, String content) throws IOException {
        Path file = write(name, content);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Taxonomy.load(file));
        assertThat(e.getMessage()).as("every load error names the file").contains(file.toString());
        return e;
    }

    @Test
    void builtIn_hasThirteenLabelsAndOther() {
        Taxonomy taxonomy = Taxonomy.builtIn();

        assertThat(taxonomy.labelNames()).containsExactly("invoice", "receipt", "contract", "resume", "letter",
                "email", "form", "report", "scientific_paper", "news_article", "manual", "presentation", "memo",
                "other");
        assertThat(taxonomy.other()).isEqualTo("other");
        assertThat(taxonomy.labels()).allSatisfy(label -> assertThat(label.keywords())
                .as("label %s needs keywords to be found at all", label.name()).isNotEmpty());
        assertThat(taxonomy.labels().get(0).keywords()).containsEntry("invoice number", 4.0);
    }

    @Test
    void load_yaml_readsEveryField() throws IOException {
        Taxonomy taxonomy = Taxonomy.load(write("taxonomy.yaml", TWO_LABELS_YAML));

        assertThat(taxonomy.labelNames()).containsExactly("invoice", "email", "misc");
        assertThat(taxonomy.minConfidence()).isEqualTo(0.4);
        assertThat(taxonomy.minScore()).isEqualTo(2.5);
        LabelDefinition invoice = taxonomy.labels().get(0);
        assertThat(invoice.description()).isEqualTo("A bill.");
        assertThat(invoice.keywords()).containsExactly(Map.entry("invoice", 4.0), Map.entry("amount due", 3.0));
        assertThat(taxonomy.labels().get(1).mediaTypes()).containsExactly("message/rfc822");
    }

    @Test
    void load_ymlExtensionInUpperCase_isYaml() throws IOException {
        Taxonomy taxonomy = Taxonomy.load(write("TAXONOMY.YML", TWO_LABELS_YAML));

        assertThat(taxonomy.labelNames()).containsExactly("invoice", "email", "misc");
    }

    @Test
    void load_json_readsEveryField() throws IOException {
        Taxonomy taxonomy = Taxonomy.load(write("taxonomy.json", """
                {"other": "misc", "minConfidence": 0.1, "minScore": 0,
                 "labels": [{"name": "memo", "keywords": {"memorandum": 4, "interoffice": 2.5}},
                            {"name": "letter", "description": "A letter."}]}
                """));

        assertThat(taxonomy.labelNames()).containsExactly("memo", "letter", "misc");
        assertThat(taxonomy.minConfidence()).isEqualTo(0.1);
        assertThat(taxonomy.minScore()).isZero();
        assertThat(taxonomy.labels().get(0).keywords()).containsEntry("interoffice", 2.5);
    }

    @Test
    void load_omittedThresholdsAndFallback_getDefaults() throws IOException {
        Taxonomy taxonomy = Taxonomy.load(write("t.yaml", """
                labels:
                  - name: invoice
                    keywords: {invoice: 1}
                  - name: letter
                    description: A letter.
                """));

        assertThat(taxonomy.minConfidence()).isEqualTo(Taxonomy.DEFAULT_MIN_CONFIDENCE).isEqualTo(0.25);
        assertThat(taxonomy.minScore()).isEqualTo(Taxonomy.DEFAULT_MIN_SCORE).isEqualTo(1.0);
        assertThat(taxonomy.other()).isEqualTo("other");
    }

    @Test
    void load_unknownExtension_isRejectedNamingTheAcceptedOnes() throws IOException {
        Path file = write("taxonomy.txt", TWO_LABELS_YAML);

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Taxonomy.load(file));

        assertThat(e.getMessage()).contains(file.toString()).contains(".yaml").contains(".yml").contains(".json");
    }

    @Test
    void load_missingFile_isRejectedNamingIt() {
        Path file = dir.resolve("nowhere.yaml");

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Taxonomy.load(file));

        assertThat(e.getMessage()).contains(file.toString()).contains("does not exist");
    }

    @Test
    void load_duplicateLabel_isRejectedNamingIt() throws IOException {
        ConfigurationException e = loadFails("dup.yaml", """
                labels:
                  - name: invoice
                    keywords: {invoice: 1}
                  - name: invoice
                    keywords: {bill: 1}
                """);

        assertThat(e.getMessage()).contains("'invoice'").contains("defined twice");
    }

    @Test
    void load_fallbackLabelAlsoUnderLabels_isRejected() throws IOException {
        ConfigurationException e = loadFails("fallback.yaml", """
                other: misc
                labels:
                  - name: misc
                    keywords: {stuff: 1}
                """);

        assertThat(e.getMessage()).contains("'misc'").contains("fallback").contains("remove it");
    }

    @Test
    void load_zeroWeight_isRejectedNamingKeywordAndValue() throws IOException {
        ConfigurationException e = loadFails("zero.yaml", """
                labels:
                  - name: invoice
                    keywords: {invoice: 0}
                """);

        assertThat(e.getMessage()).contains("'invoice'").contains("weight > 0").contains("got 0");
    }

    @Test
    void load_negativeWeight_isRejectedNamingKeywordAndValue() throws IOException {
        ConfigurationException e = loadFails("negative.json", """
                {"labels": [{"name": "invoice", "keywords": {"amount due": -2}}]}
                """);

        assertThat(e.getMessage()).contains("'amount due'").contains("weight > 0").contains("-2");
    }

    @Test
    void load_unknownTopLevelField_isRejectedNamingIt() throws IOException {
        ConfigurationException e = loadFails("unknown.yaml", """
                minConfidense: 0.3
                labels:
                  - name: invoice
                    keywords: {invoice: 1}
                """);

        assertThat(e.getMessage()).as("a typo must not be ignored silently").contains("minConfidense");
    }

    @Test
    void load_unknownLabelField_isRejectedNamingIt() throws IOException {
        ConfigurationException e = loadFails("unknown-label.yaml", """
                labels:
                  - name: invoice
                    keywords: {invoice: 1}
                    weight: 3
                """);

        assertThat(e.getMessage()).contains("weight");
    }

    @Test
    void load_labelNameWithUpperCase_isRejectedWithTheRule() throws IOException {
        ConfigurationException e = loadFails("upper.yaml", """
                labels:
                  - name: Invoice
                    keywords: {invoice: 1}
                """);

        assertThat(e.getMessage()).contains("'Invoice'").contains("lower-case");
    }

    @Test
    void load_oneLabel_isRefused_asItCannotDiscriminate() throws IOException {
        ConfigurationException e = loadFails("one.yaml", """
                labels:
                  - name: invoice
                    description: A bill asking a buyer to pay.
                """);

        assertThat(e.getMessage()).contains("one.yaml").contains("one label ('invoice')")
                .contains("at least two labels").contains("'other' does not count");
    }

    @Test
    void load_bareLabel_isRefusedNamingIt() throws IOException {
        ConfigurationException e = loadFails("bare.yaml", """
                labels:
                  - name: invoice
                    description: A bill asking a buyer to pay.
                  - name: letter
                    description: "  "
                """);

        assertThat(e.getMessage()).contains("label 'letter'").contains("nothing tells it apart")
                .contains("give it a description");
    }

    @Test
    void load_noLabels_isRejected() throws IOException {
        ConfigurationException e = loadFails("empty.yaml", "other: misc\n");

        assertThat(e.getMessage()).contains("at least one label");
    }

    @Test
    void load_minConfidenceOfOne_isRejectedWithRange() throws IOException {
        ConfigurationException e = loadFails("conf.yaml", """
                minConfidence: 1
                labels:
                  - name: invoice
                    keywords: {invoice: 1}
                """);

        assertThat(e.getMessage()).contains("minConfidence").contains("[0, 1)").contains("1.0");
    }
}
