package io.docclassify.classify;

import io.docclassify.classify.DocumentTypeFit.Sample;
import io.docclassify.spi.ExtractedText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Learning from a few corrections, on {@code document_types_broad}: for each source, the classifier
 * starts from the zero-shot document-type model fitted without that source, a person corrects
 * the K least-confident documents per predicted label (as {@code doc-classify review} lists them), and
 * the built-in taxonomy with those documents as examples classifies the source again, as the product
 * does: from the model with similarities fitted without the source, refitted to the examples. Not part of the
 * build. Run:
 * {@code mvn -o test -pl api -Dtest=LearningCurveReport -Dsurefire.failIfNoSpecifiedTests=false}
 */
class LearningCurveReport {

    private static final int[] CORRECTIONS = {0, 5, 10, 25};

    @Test
    void learningCurve() {
        List<String> classes = DocumentTypeFit.classes();
        List<Sample> withSimilarities = DocumentTypeFit.samplesWithSimilarities();
        List<Sample> samples = DocumentTypeFit.withoutSimilarities(withSimilarities);
        Set<String> sources = new TreeSet<>();
        samples.stream().filter(Sample::broad).forEach(s -> sources.add(s.doc().source()));
        Map<Integer, int[]> unreviewed = new TreeMap<>(); // right, scored
        Map<Integer, int[]> all = new TreeMap<>();
        for (String source : sources) {
            List<Sample> test = samples.stream().filter(s -> s.doc().source().equals(source)).toList();
            DocumentTypeModel model = DocumentTypeFit.fit(
                    samples.stream().filter(s -> !s.doc().source().equals(source)).toList(), classes);
            DocumentTypeModel correctable = DocumentTypeFit.fit(
                    withSimilarities.stream().filter(s -> !s.doc().source().equals(source)).toList(), classes);
            Map<Sample, double[]> zeroShot = new LinkedHashMap<>();
            test.forEach(s -> zeroShot.put(s, model.probabilities(s.evidence())));
            for (int k : CORRECTIONS) {
                Set<Sample> reviewed = reviewed(zeroShot, k);
                Map<String, List<ExtractedText>> examples = new LinkedHashMap<>();
                // the taxonomy takes no examples for its fallback: corrected `other` documents count as reviewed only
                reviewed.stream().filter(s -> !s.doc().label().equals(Taxonomy.builtIn().other())).forEach(s -> examples.computeIfAbsent(s.doc().label(), x -> new ArrayList<>())
                        .add(s.doc().extracted(3_000)));
                EmbeddingClassifier classifier = new EmbeddingClassifier(Taxonomy.builtIn(), examples, null,
                        examples.isEmpty() ? model : correctable);
                int right = 0;
                for (Sample s : test) {
                    if (!reviewed.contains(s) && classifier.classify(s.doc().extracted(3_000)).label().equals(s.doc().label())) {
                        right++;
                    }
                }
                int scored = test.size() - reviewed.size();
                add(unreviewed, k, right, scored);
                add(all, k, right + reviewed.size(), test.size());
                System.out.printf("%s, %d corrections per label (%d in all): %d/%d right of the rest%n",
                        source, k, reviewed.size(), right, scored);
            }
        }
        System.out.println("| corrected per label | accuracy on the documents not reviewed | accuracy with the corrections |");
        System.out.println("| ---: | ---: | ---: |");
        for (int k : CORRECTIONS) {
            System.out.printf("| %d | %.3f | %.3f |%n", k, unreviewed.get(k)[0] / (double) unreviewed.get(k)[1],
                    all.get(k)[0] / (double) all.get(k)[1]);
        }
    }

    /** The {@code k} least-confident documents per predicted class. */
    private static Set<Sample> reviewed(Map<Sample, double[]> probabilities, int k) {
        Map<Integer, List<Sample>> byPredicted = new TreeMap<>();
        probabilities.forEach((s, p) -> byPredicted.computeIfAbsent(DocumentTypeFit.argmax(p), x -> new ArrayList<>()).add(s));
        Set<Sample> reviewed = new HashSet<>();
        byPredicted.forEach((c, list) -> list.stream()
                .sorted(Comparator.comparingDouble((Sample s) -> probabilities.get(s)[c]).thenComparing(s -> s.doc().path()))
                .limit(k).forEach(reviewed::add));
        return reviewed;
    }

    private static void add(Map<Integer, int[]> totals, int k, int right, int scored) {
        int[] t = totals.computeIfAbsent(k, x -> new int[2]);
        t[0] += right;
        t[1] += scored;
    }
}
