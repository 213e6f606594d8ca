package io.docclassify.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.docclassify.ConfigurationException;
import io.docclassify.Outcome;
import io.docclassify.spi.ExtractedText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RulesClassifierTest {

    private static final RulesClassifier RULES = new RulesClassifier(Taxonomy.builtIn());

    private static final String INVOICE = """
            ACME Supplies Ltd.
            INVOICE
            Invoice Number: INV-2024-0042      Invoice Date: 2024-03-01
            Bill To: Widget Corp, 12 Main Street
            Qty  Description      Unit Price   Amount
            3    Steel brackets   4.00         12.00
            Subtotal 12.00   VAT 2.40   Amount Due: 14.40
            Payment terms: Net 30. Due date: 2024-03-31. Bank details: IBAN DE00 1234.
            """;
    private static final String CONTRACT = """
            SERVICE AGREEMENT
            This Agreement is made on the Effective Date between Alpha Inc. (hereinafter "Provider") and
            Beta LLC (hereinafter "Client"), together the Parties.
            WHEREAS the Provider offers services, the Parties hereby agree as follows.
            1. Term and Termination. The term of this Agreement shall be one year.
            2. Indemnification. The Client shall indemnify the Provider.
            3. Governing Law. This Agreement is governed by the laws of Delaware.
            IN WITNESS WHEREOF the parties have executed this Agreement.
            """;
    private static final String RESUME = """
            Jane Doe - Curriculum Vitae
            Professional Summary: software engineer with ten years of experience.
            Work Experience
            Senior Engineer, Company Name, City State, 2015 - present
            Education: Bachelor of Science, State University
            Skills: Java, SQL, distributed systems
            Certifications: AWS Solutions Architect
            References available on request.
            """;
    private static final String PAPER = """
            Consistent Hashing for Distributed Caches
            Department of Computer Science, Example University
            Abstract
            In this paper we propose a new scheme for placing keys on servers. We present experiments.
            1 Introduction
            Related work: Karger et al. introduced consistent hashing (Proceedings of the ACM Symposium).
            Theorem 1. Lemma 2. Proof. Evaluation and conclusions follow.
            References
            [1] D. Karger et al. ACM STOC 1997. doi:10.1145/258533.258660
            """;
    private static final String NEWS = """
            Minister resigns after budget row
            The finance minister resigned on Tuesday, officials said, after a week of disputes over the budget.
            A government spokesman told reporters that talks had failed. According to Reuters, the minister
            said yesterday that he had lost the confidence of his colleagues. Opposition leaders said the
            news came as no surprise, the BBC reported.
            """;

    static List<Arguments> obviousDocuments() {
        return List.of(Arguments.of("invoice", INVOICE), Arguments.of("contract", CONTRACT),
                Arguments.of("resume", RESUME), Arguments.of("scientific_paper", PAPER),
                Arguments.of("news_article", NEWS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("obviousDocuments")
    void obviousDocument_getsItsLabel(String expected, String text) {
        Outcome.Classified result = RULES.classify(ExtractedText.ofText(text));

        assertThat(result.label()).as("label of an obvious %s; scores %s", expected, result.scores())
                .isEqualTo(expected);
        assertThat(result.confidence()).as("confidence of an obvious %s", expected)
                .isGreaterThanOrEqualTo(Taxonomy.builtIn().minConfidence());
        assertThat(result.scores().keySet().iterator().next()).as("the label ranks first in the scores")
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   \n\t ", "12345 67 - 89", "The quick brown fox jumps over the lazy dog."})
    void emptyOrUnrelatedText_isOther(String text) {
        Outcome.Classified result = RULES.classify(ExtractedText.ofText(text));

        assertThat(result.label()).as("no evidence for any type in '%s'", text).isEqualTo("other");
        assertThat(result.confidence()).isBetween(0.0, 1.0);
    }

    @Test
    void singleWeakHit_isOtherNotAConfidentGuess() {
        Outcome.Classified result = RULES.classify(ExtractedText.ofText(
                "The weather was mild and the garden looked lovely. " + "x ".repeat(600) + "results"));

        assertThat(result.label()).as("one weak keyword far from the top must not decide; scores %s", result.scores())
                .isEqualTo("other");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("obviousDocuments")
    void scores_coverEveryLabelAndSumToOne(String expected, String text) {
        Map<String, Double> scores = RULES.classify(ExtractedText.ofText(text)).scores();

        assertThat(scores.keySet()).as("one score per taxonomy label")
                .containsExactlyInAnyOrderElementsOf(RULES.taxonomy().labels().stream().map(LabelDefinition::name).toList());
        assertThat(scores.values()).allSatisfy(score -> assertThat(score).isBetween(0.0, 1.0));
        assertThat(scores.values().stream().mapToDouble(Double::doubleValue).sum())
                .as("scores are shares of the total (rounded to 4 places)").isCloseTo(1.0, within(1e-3));
        assertThat(List.copyOf(scores.values())).as("scores are listed best first")
                .isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void noKeywordHit_scoresAreAllZero() {
        Map<String, Double> scores = RULES.classify(ExtractedText.ofText("lorem ipsum dolor")).scores();

        assertThat(scores.values()).as("no evidence means no share for anyone").containsOnly(0.0);
    }

    @Test
    void sameInput_givesEqualResult_alsoOnAFreshInstance() {
        ExtractedText text = ExtractedText.ofText(CONTRACT + INVOICE);

        Outcome.Classified first = RULES.classify(text);
        Outcome.Classified again = RULES.classify(text);
        Outcome.Classified fresh = new RulesClassifier(Taxonomy.builtIn()).classify(text);

        assertThat(again).as("same classifier, same text").isEqualTo(first);
        assertThat(fresh).as("a new classifier over the same taxonomy").isEqualTo(first);
        assertThat(List.copyOf(fresh.scores().keySet())).as("ranking order, ties included")
                .isEqualTo(List.copyOf(first.scores().keySet()));
    }

    @Test
    void title_countsAsEvidence() {
        String body = "Please find the details below.";
        ExtractedText untitled = new ExtractedText(body, null, "application/pdf", 1, body.length(), true, 0);
        ExtractedText titled = new ExtractedText(body, "Invoice 2024-17", "application/pdf", 1, body.length(), true, 0);

        assertThat(RULES.classify(untitled).label()).as("the body alone says nothing").isEqualTo("other");
        Outcome.Classified result = RULES.classify(titled);
        assertThat(result.label()).as("the title says invoice; scores %s", result.scores()).isEqualTo("invoice");
    }

    @Test
    void emailMediaType_pointsToEmail() {
        String body = "Lunch on Friday at noon works for me. See you there.";
        ExtractedText plain = new ExtractedText(body, null, "text/plain", null, body.length(), true, 0);
        ExtractedText message = new ExtractedText(body, null, "message/rfc822", null, body.length(), true, 0);

        assertThat(RULES.classify(plain).label()).as("as plain text").isNotEqualTo("email");
        Outcome.Classified result = RULES.classify(message);
        assertThat(result.label()).as("an RFC 822 message is an email; scores %s", result.scores()).isEqualTo("email");
        assertThat(result.scores().get("email")).isGreaterThan(0.5);
    }

    @Test
    void keywordsMatchWholeWordsCaseInsensitively() {
        Outcome.Classified upper = RULES.classify(ExtractedText.ofText("INVOICE NUMBER 17, AMOUNT DUE 40.00"));
        Outcome.Classified glued = RULES.classify(ExtractedText.ofText("invoicenumber amountdue"));

        assertThat(upper.label()).isEqualTo("invoice");
        assertThat(glued.label()).as("keywords inside longer words must not match").isEqualTo("other");
    }

    @Test
    void keywordNearTheTop_weighsMoreThanTheSameKeywordFarBelow() {
        String filler = "lorem ipsum ".repeat(200);
        double atTop = RULES.classify(ExtractedText.ofText("memo invoice " + filler)).scores().get("invoice");
        double below = RULES.classify(ExtractedText.ofText("memo " + filler + " invoice")).scores().get("invoice");

        assertThat(atTop).as("against a memo keyword at the top, both in the head").isCloseTo(0.5, within(1e-4));
        assertThat(below).as("the invoice keyword past the first %d characters counts less", RulesClassifier.HEAD_CHARS)
                .isLessThan(atTop);
    }

    /** A keyword with no letter or digit (such as '&') can never match; it must not break every document. */
    @Test
    void keywordWithoutLettersOrDigits_isRejectedUpFrontOrIgnored() {
        Map<String, Double> keywords = new LinkedHashMap<>();
        keywords.put("invoice", 4.0);
        keywords.put("&", 1.0);
        RulesClassifier rules;
        try {
            rules = new RulesClassifier(new Taxonomy(
                    List.of(new LabelDefinition("invoice", null, keywords, null)), null, 0.25, 1.0));
        } catch (ConfigurationException e) {
            assertThat(e.getMessage()).as("the message should name the keyword that can never match").contains("'&'");
            return;
        }

        Outcome.Classified result = assertDoesNotThrow(() -> rules.classify(ExtractedText.ofText("Invoice no. 17")),
                "a taxonomy the classifier accepted must classify without error");
        assertThat(result.label()).isEqualTo("invoice");
    }

    @Test
    void id_isRules() {
        assertThat(RULES.id()).isEqualTo("rules");
    }
}
