package io.docclassify.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.Outcome;
import io.docclassify.spi.ExtractedText;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

/** Predictions are deterministic and the scores sum to 1 (model calls cost ~10 ms, so few tries). */
class EmbeddingClassifierProperties {

    private static final EmbeddingClassifier CLASSIFIER = new EmbeddingClassifier(Taxonomy.builtIn());

    @Property(tries = 15)
    void sameText_sameOutcome_scoresSumToOne(@ForAll @StringLength(max = 400) String text) {
        ExtractedText extracted = ExtractedText.ofText(text);
        Outcome.Classified first = CLASSIFIER.classify(extracted);
        Outcome.Classified second = CLASSIFIER.classify(extracted);
        assertThat(second).as("second run of the same text").isEqualTo(first);
        double sum = first.scores().values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(sum).as("sum of scores %s", first.scores()).isBetween(1 - 1e-9, 1 + 1e-9);
        assertThat(first.confidence()).isBetween(0.0, 1.0);
    }
}
