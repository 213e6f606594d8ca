package io.docclassify.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.classify.DocumentTypeFit.Sample;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The built-in document-type model on sources it was not fitted on: each source of
 * {@code document_types_broad} and {@code document_type_labels.csv} is scored by a model fitted on all
 * the other sources (labels with a single source are then zero-shot). Measured: see docs/accuracy.md;
 * the floors sit a little under. Run alone:
 * {@code mvn -o test -pl api -Dtest=DocumentTypesBroadAccuracyTest}
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class DocumentTypesBroadAccuracyTest {

    @Test
    void sourcesLeftOutOfTheFit_reach90PercentAccuracyAnd085MacroF1() {
        List<String> classes = DocumentTypeFit.classes();
        List<Sample> samples = DocumentTypeFit.samples();
        Map<Sample, double[]> heldOut = DocumentTypeFit.leaveOneSourceOut(samples, classes);
        double[] m = DocumentTypeFit.report("leave-one-source-out, document_types_broad",
                samples.stream().filter(Sample::broad).toList(), heldOut, classes);
        assertThat(m[0]).as("accuracy on sources left out of the fit").isGreaterThanOrEqualTo(0.90);
        assertThat(m[1]).as("macro-F1 on sources left out of the fit").isGreaterThanOrEqualTo(0.85);
    }
}
