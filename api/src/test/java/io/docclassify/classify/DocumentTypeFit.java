package io.docclassify.classify;

import io.docclassify.classify.ExtractedCorpus.Doc;
import io.docclassify.contract.Corpus;
import io.docclassify.spi.ExtractedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Fits {@link DocumentTypeModel} on labelled documents, and measures it with each source left out of
 * the fit in turn (leave-one-source-out): the documents of a source are scored by a model that never
 * saw that source. The documents are {@code document_types_broad} and {@code document_type_labels.csv}.
 */
final class DocumentTypeFit {

    static final double LAMBDA_SHARED = 1e-3;
    static final double LAMBDA_BIAS = 0.01;
    /** A source's weight grows as its document count to this power (0: every source the same). */
    static final double SOURCE_SIZE_POWER = 0.3;
    static final double LAMBDA_DOCUMENT = 0.1;
    static final int ITERATIONS = 600;

    /** One labelled document, its source and the evidence the model weighs; {@code broad} when from the broad set. */
    record Sample(Doc doc, int y, boolean broad, DocumentTypeModel.Evidence evidence) {}

    private DocumentTypeFit() {}

    /** The class names: the built-in labels, then other. */
    static List<String> classes() {
        List<String> classes = new ArrayList<>(Taxonomy.builtIn().labels().stream().map(LabelDefinition::name).toList());
        classes.add(Taxonomy.builtIn().other());
        return classes;
    }

    /** Every labelled document with its evidence, as the built-in classifier sees it at the default text budget (no similarities). */
    static List<Sample> samples() {
        return samples(new EmbeddingClassifier(Taxonomy.builtIn()));
    }

    /** The same with the MiniLM similarities, which the model corrections start from weighs. */
    static List<Sample> samplesWithSimilarities() {
        return samples(EmbeddingClassifier.withSimilarities());
    }

    /** {@code samples} with the similarity features set to 0: the evidence of the zero-shot default. */
    static List<Sample> withoutSimilarities(List<Sample> samples) {
        return samples.stream().map(s -> {
            double[][] perLabel = new double[s.evidence().perLabel().length][];
            Arrays.setAll(perLabel, l -> s.evidence().perLabel()[l].clone());
            for (double[] row : perLabel) {
                for (int f : DocumentTypeModel.SIMILARITY_FEATURES) {
                    row[f] = 0;
                }
            }
            return new Sample(s.doc(), s.y(), s.broad(), new DocumentTypeModel.Evidence(perLabel, s.evidence().perDocument()));
        }).toList();
    }

    /** The same with the evidence of {@code classifier} (the built-in taxonomy read by another encoder). */
    static List<Sample> samples(EmbeddingClassifier classifier) {
        List<Doc> broad = ExtractedCorpus.load(Corpus.file("document_types_broad/labels.csv"), "label");
        List<Doc> old = ExtractedCorpus.load(Corpus.file("document_type_labels.csv"), "doc_type");
        List<String> classes = classes();
        Set<Doc> inBroad = new HashSet<>(broad);
        Map<Doc, Sample> samples = new ConcurrentHashMap<>();
        List<Doc> all = Stream.concat(broad.stream(), old.stream()).filter(d -> d.text() != null).toList();
        all.parallelStream().forEach(d -> {
            ExtractedText text = d.extracted(3_000);
            samples.put(d, new Sample(d, classes.indexOf(d.label()), inBroad.contains(d), classifier.evidence(text)));
        });
        return all.stream().map(samples::get).toList();
    }

    /**
     * Fits the weights on {@code train}: each label counts the same, and within a label a source by its
     * size to the power SOURCE_SIZE_POWER.
     */
    static DocumentTypeModel fit(List<Sample> train, List<String> classes) {
        Map<String, Integer> perSource = new HashMap<>();
        Map<String, Set<String>> sourcesOfLabel = new HashMap<>();
        for (Sample s : train) {
            perSource.merge(s.doc().label() + "|" + s.doc().source(), 1, Integer::sum);
            sourcesOfLabel.computeIfAbsent(s.doc().label(), x -> new TreeSet<>()).add(s.doc().source());
        }
        double[] weight = new double[train.size()];
        int[] y = new int[train.size()];
        for (int i = 0; i < weight.length; i++) {
            Doc d = train.get(i).doc();
            weight[i] = Math.pow(perSource.get(d.label() + "|" + d.source()), SOURCE_SIZE_POWER - 1)
                    / sourcesOfLabel.get(d.label()).size();
            y[i] = train.get(i).y();
        }
        return DocumentTypeModel.fit(classes, train.stream().map(Sample::evidence).toList(), y, weight, null,
                new DocumentTypeModel.Penalties(LAMBDA_SHARED, LAMBDA_BIAS, LAMBDA_DOCUMENT), ITERATIONS);
    }

    /** Each sample's class probabilities by a model fitted without the sample's source. */
    static Map<Sample, double[]> leaveOneSourceOut(List<Sample> samples, List<String> classes) {
        Set<String> sources = new TreeSet<>();
        samples.forEach(s -> sources.add(s.doc().source()));
        Map<Sample, double[]> predicted = new ConcurrentHashMap<>();
        sources.parallelStream().forEach(source -> {
            DocumentTypeModel model = fit(samples.stream().filter(s -> !s.doc().source().equals(source)).toList(), classes);
            samples.stream().filter(s -> s.doc().source().equals(source))
                    .forEach(s -> predicted.put(s, model.probabilities(s.evidence())));
        });
        return predicted;
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Accuracy and macro-F1 of {@code predicted} over {@code samples}, and the tables of docs/accuracy.md. */
    static double[] report(String title, List<Sample> samples, Map<Sample, double[]> probabilities, List<String> classes) {
        System.out.println("== " + title);
        Map<Sample, Integer> predicted = new HashMap<>();
        probabilities.forEach((s, p) -> predicted.put(s, argmax(p)));
        Map<String, int[]> bySource = new TreeMap<>();
        int[][] confusion = new int[classes.size()][classes.size()];
        for (Sample s : samples) {
            int p = predicted.get(s);
            int[] counts = bySource.computeIfAbsent(s.doc().label() + " | " + s.doc().source(), x -> new int[2]);
            counts[1]++;
            counts[0] += p == s.y() ? 1 : 0;
            confusion[s.y()][p]++;
        }
        System.out.println("| label | source | right | documents | accuracy |\n| --- | --- | ---: | ---: | ---: |");
        bySource.forEach((key, counts) -> System.out.printf("| %s | %s | %d | %d | %.3f |%n",
                key.split(" \\| ")[0], key.split(" \\| ")[1], counts[0], counts[1], counts[0] / (double) counts[1]));
        System.out.println("\n| label | precision | recall | F1 | documents |\n| --- | ---: | ---: | ---: | ---: |");
        for (int c = 0; c < classes.size(); c++) {
            int tp = confusion[c][c];
            int actual = Arrays.stream(confusion[c]).sum();
            int predictedAs = 0;
            for (int[] row : confusion) {
                predictedAs += row[c];
            }
            if (actual > 0) {
                double precision = predictedAs == 0 ? 0 : tp / (double) predictedAs;
                double recall = tp / (double) actual;
                System.out.printf("| %s | %.3f | %.3f | %.3f | %d |%n", classes.get(c), precision, recall,
                        precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall), actual);
            }
        }
        StringBuilder header = new StringBuilder("\n| true \\ predicted |");
        classes.forEach(name -> header.append(' ').append(abbreviation(name)).append(" |"));
        System.out.println(header);
        System.out.println("| --- |" + " ---: |".repeat(classes.size()));
        for (int c = 0; c < classes.size(); c++) {
            if (Arrays.stream(confusion[c]).sum() > 0) {
                StringBuilder row = new StringBuilder("| " + classes.get(c) + " |");
                for (int p = 0; p < classes.size(); p++) {
                    row.append(' ').append(confusion[c][p] == 0 ? "" : confusion[c][p]).append(" |");
                }
                System.out.println(row);
            }
        }
        double[] m = EmbeddingClassifierReport.metrics(samples.stream().map(s -> classes.get(s.y())).toList(),
                samples.stream().map(s -> classes.get(predicted.get(s))).toList());
        System.out.printf("%s: accuracy %.4f, macro-F1 %.4f over %d documents%n", title, m[0], m[1], samples.size());
        System.out.println("\n| escalate below | sent to the LLM | accuracy of the rest |\n| ---: | ---: | ---: |");
        for (double threshold : new double[] {0.5, 0.6, 0.7, 0.8, CascadeClassifier.DEFAULT_ESCALATE_BELOW}) {
            List<Sample> sure = samples.stream().filter(s -> probabilities.get(s)[predicted.get(s)] >= threshold).toList();
            System.out.printf("| %.2f | %.1f %% | %.4f |%n", threshold, 100.0 * (samples.size() - sure.size()) / samples.size(),
                    sure.stream().filter(s -> predicted.get(s) == s.y()).count() / (double) sure.size());
        }
        return m;
    }

    private static String abbreviation(String label) {
        return label.length() <= 5 ? label : label.substring(0, 5);
    }
}
