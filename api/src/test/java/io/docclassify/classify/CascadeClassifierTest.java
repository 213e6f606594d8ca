package io.docclassify.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docclassify.ConfigurationException;
import io.docclassify.Outcome;
import io.docclassify.spi.ClassificationException;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cascade's routing between a fast first classifier and a slow second one. */
class CascadeClassifierTest {

    /** A stand-in that answers with a fixed confidence and counts its calls. */
    static class Fixed implements Classifier {
        final String id;
        final String label;
        final double confidence;
        final boolean cpuBound;
        final AtomicInteger calls = new AtomicInteger();

        Fixed(String id, String label, double confidence, boolean cpuBound) {
            this.id = id;
            this.label = label;
            this.confidence = confidence;
            this.cpuBound = cpuBound;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean cpuBound() {
            return cpuBound;
        }

        @Override
        public Outcome.Classified classify(ExtractedText text) {
            calls.incrementAndGet();
            return new Outcome.Classified(label, confidence, Map.of(label, confidence));
        }
    }

    static final ExtractedText TEXT = ExtractedText.ofText("some text");

    @Test
    void confidenceAtTheThreshold_isDecidedByTheFirst() {
        Fixed fast = new Fixed("embedding@m1", "invoice", 0.9, true);
        Fixed slow = new Fixed("ollama@llama/p1", "receipt", 0.8, false);
        CascadeClassifier cascade = new CascadeClassifier(fast, slow, 0.9);

        Outcome.Classified result = cascade.classify(TEXT);

        assertThat(result.label()).isEqualTo("invoice");
        assertThat(result.decidedBy()).isEqualTo("embedding");
        assertThat(slow.calls).hasValue(0);
        assertThat(cascade.escalated()).isZero();
        assertThat(cascade.classified()).isEqualTo(1);
    }

    @Test
    void confidenceBelowTheThreshold_isEscalated_andTimed() {
        Fixed fast = new Fixed("embedding@m1", "invoice", 0.89, true);
        Fixed slow = new Fixed("ollama@llama/p1", "receipt", 0.8, false);
        CascadeClassifier cascade = new CascadeClassifier(fast, slow, 0.9);

        Outcome.Classified result = cascade.classify(TEXT);

        assertThat(result.label()).isEqualTo("receipt");
        assertThat(result.decidedBy()).isEqualTo("ollama");
        assertThat(cascade.escalated()).isEqualTo(1);
        assertThat(cascade.secondNanos()).isPositive();
    }

    @Test
    void aFailingSecondStage_failsTheDocument_withItsReason() {
        Classifier failing = new Fixed("ollama@x/p1", "x", 0.5, false) {
            @Override
            public Outcome.Classified classify(ExtractedText text) {
                throw new ClassificationException("llm_unavailable", "down");
            }
        };
        CascadeClassifier cascade = new CascadeClassifier(new Fixed("embedding@m", "memo", 0.1, true), failing, 0.5);
        assertThatThrownBy(() -> cascade.classify(TEXT)).isInstanceOf(ClassificationException.class).hasMessage("down");
        assertThat(cascade.escalated()).isEqualTo(1);
    }

    @Test
    void id_namesBothStagesAndTheThreshold_andCpuBoundFollowsTheSlowStage() {
        CascadeClassifier cascade = new CascadeClassifier(new Fixed("embedding@m1", "a", 1, true),
                new Fixed("ollama@llama3.2:3b/p1", "a", 1, false), 0.9);
        assertThat(cascade.id()).isEqualTo("cascade(embedding@m1<0.90>ollama@llama3.2:3b/p1)");
        assertThat(cascade.cpuBound()).isFalse();
    }

    @Test
    void thresholdOutsideZeroToOne_isRejectedWithTheOption() {
        Fixed c = new Fixed("a", "a", 1, true);
        assertThatThrownBy(() -> new CascadeClassifier(c, c, 1.5)).isInstanceOf(ConfigurationException.class)
                .hasMessage("CascadeClassifier.escalateBelow must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> new CascadeClassifier(c, c, Double.NaN)).hasMessageContaining("got NaN");
    }
}
