package io.docclassify.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.Outcome;
import io.docclassify.spi.ExtractedText;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

/** Whatever the text: the same prediction every time, scores that sum to 1, the top score as confidence. */
class LinearClassifierProperties {

    private static final LinearClassifier MODEL =
            LinearClassifier.train(BbcSample.examples(0, 8), LinearClassifier.Settings.defaults());

    @Property(tries = 300)
    void classify_anyText_isDeterministic_scoresSumToOne_confidenceIsTheTopScore(
            @ForAll @StringLength(max = 2000) String text, @ForAll @StringLength(max = 80) String title) {
        ExtractedText input = new ExtractedText(text, title.isEmpty() ? null : title, "text/plain", null, text.length(),
                true, 0);

        Outcome.Classified first = MODEL.classify(input);
        Outcome.Classified second = MODEL.classify(input);

        assertThat(second).as("a second call on the same text").isEqualTo(first);
        assertThat(first.scores().keySet()).as("every label scored").containsExactlyInAnyOrderElementsOf(MODEL.labels());
        double sum = first.scores().values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(Math.abs(sum - 1)).as("sum of %s", first.scores()).isLessThanOrEqualTo(1e-3);
        double top = first.scores().values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertThat(first.confidence()).as("confidence against the scores %s", first.scores()).isEqualTo(top);
        assertThat(first.scores().get(first.label())).as("the label's own score").isEqualTo(top);
    }
}
