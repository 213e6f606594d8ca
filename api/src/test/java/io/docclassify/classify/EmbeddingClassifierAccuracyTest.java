package io.docclassify.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.classify.ExtractedCorpus.Doc;
import io.docclassify.contract.Corpus;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedding classifier's zero-shot accuracy on the odd half of {@code document_type_labels.csv}
 * (the odd-numbered documents per type) at the default text budget of 3,000 characters. Its document-type
 * model is fitted on every source (DocumentTypeModelFit); DocumentTypesBroadAccuracyTest measures it on
 * sources left out of the fit. Run alone:
 * {@code mvn -o test -pl api -Dtest=EmbeddingClassifierAccuracyTest}
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class EmbeddingClassifierAccuracyTest {

    @Test
    void heldOutHalf_isClassifiedWithAtLeast97PercentAccuracy() {
        List<Doc> heldOut = ExtractedCorpus.half(
                ExtractedCorpus.load(Corpus.file("document_type_labels.csv"), "doc_type"), true);
        EmbeddingClassifier classifier = new EmbeddingClassifier(Taxonomy.builtIn());
        List<String> predicted = heldOut.parallelStream().map(d -> classifier.classify(d.extracted(3_000)).label()).toList();
        double[] m = EmbeddingClassifierReport.metrics(heldOut.stream().map(Doc::label).toList(), predicted);
        System.out.printf("embedding classifier, held-out half: accuracy %.4f, macro-F1 %.4f%n", m[0], m[1]);
        assertThat(m[0]).as("held-out accuracy").isGreaterThanOrEqualTo(0.97);
    }
}
