package io.docclassify.classify;

import io.docclassify.Outcome;
import io.docclassify.classify.ExtractedCorpus.Doc;
import io.docclassify.contract.Corpus;
import io.docclassify.spi.ExtractedText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Measures the embedding classifier and prints the tables of the README; not part of the build
 * (surefire runs {@code *Test} and {@code *Properties}). Texts are extracted once and cached under
 * {@code api/target/}. Run:
 * {@code mvn -o test -pl api -Dtest=EmbeddingClassifierReport -Dsurefire.failIfNoSpecifiedTests=false}
 *
 * <p>Document types: the weights were tuned on the even half (per type, paths sorted, index 0, 2, 4...)
 * and are reported on the odd half and on the whole set, for text budgets of 1,500, 5,000 and 10,000
 * characters. Few-shot: {@code bbc_news} with five topic labels (descriptions only), zero-shot against
 * 8 and 16 examples per label drawn by seed 42 from the even half, measured on the odd half (the
 * few-shot settings were chosen on the even half alone, see FewShotExperiment).
 */
class EmbeddingClassifierReport {

    private static final int[] BUDGETS = {1_500, 3_000, 5_000, 10_000};

    record Scored(Doc doc, double[] sims, Map<Integer, double[]> raw, Map<Integer, String> rules) {}

    @Test
    void documentTypes() {
        List<Doc> docs = ExtractedCorpus.load(Corpus.file("document_type_labels.csv"), "doc_type");
        Taxonomy taxonomy = Taxonomy.builtIn();
        EmbeddingClassifier classifier = new EmbeddingClassifier(taxonomy);
        RulesClassifier rules = new RulesClassifier(taxonomy);
        Map<Doc, Scored> scored = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        docs.parallelStream().forEach(doc -> {
            Map<Integer, double[]> raw = new HashMap<>();
            Map<Integer, String> rulesLabels = new HashMap<>();
            for (int budget : BUDGETS) {
                ExtractedText text = doc.extracted(budget);
                raw.put(budget, classifier.ruleScores(text));
                rulesLabels.put(budget, rules.classify(text).label());
            }
            scored.put(doc, new Scored(doc, classifier.similarities(doc.extracted(5_000)), raw, rulesLabels));
        });
        System.out.printf("embedded %d documents in %.1f s%n", docs.size(), (System.nanoTime() - start) / 1e9);
        List<Scored> tuning = ExtractedCorpus.half(docs, false).stream().map(scored::get).toList();
        List<Scored> heldOut = ExtractedCorpus.half(docs, true).stream().map(scored::get).toList();
        List<Scored> all = docs.stream().map(scored::get).toList();

        // Tuning: both weights on a grid for accuracy + macro-F1, then a common factor for log-likelihood.
        double bestObjective = -1;
        double bestScale0 = 0;
        double bestRatio = 0;
        for (double scale : new double[] {10, 20, 30, 40, 60, 80}) {
            for (double w : new double[] {0, 0.25, 0.5, 1, 1.5, 2, 3, 4, 6}) {
                double[] m = metrics(classifier, tuning, new EmbeddingClassifier.Settings(scale, w), 5_000, false);
                System.out.printf("tuning scale %.0f rulesWeight %.2f: accuracy %.4f macro-F1 %.4f%n", scale, w, m[0], m[1]);
                if (m[0] + m[1] > bestObjective + 1e-9) {
                    bestObjective = m[0] + m[1];
                    bestScale0 = scale;
                    bestRatio = w / scale;
                }
            }
        }
        double bestScale = 0;
        double bestNll = Double.MAX_VALUE;
        for (double scale = bestScale0 / 4; scale <= bestScale0 * 4; scale *= 1.05) {
            double nll = nll(classifier, tuning, new EmbeddingClassifier.Settings(scale, scale * bestRatio), 5_000);
            if (nll < bestNll) {
                bestNll = nll;
                bestScale = scale;
            }
        }
        double embOnlyScale = 0;
        double embOnlyNll = Double.MAX_VALUE;
        for (double scale = 5; scale <= 400; scale *= 1.1) {
            double nll = nll(classifier, tuning, new EmbeddingClassifier.Settings(scale, 0), 5_000);
            if (nll < embOnlyNll) {
                embOnlyNll = nll;
                embOnlyScale = scale;
            }
        }
        System.out.printf("fitted: embeddingScale %.2f rulesWeight %.3f (tuning NLL %.4f); embedding alone: scale %.2f (NLL %.4f)%n",
                bestScale, bestScale * bestRatio, bestNll, embOnlyScale, embOnlyNll);
        EmbeddingClassifier.Settings fitted = new EmbeddingClassifier.Settings(bestScale, bestScale * bestRatio);
        EmbeddingClassifier.Settings embOnly = new EmbeddingClassifier.Settings(embOnlyScale, 0);

        System.out.println("| classifier | budget | held-out acc | held-out macro-F1 | whole acc | whole macro-F1 |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (int budget : BUDGETS) {
            row("rules", budget, rulesMetrics(heldOut, budget), rulesMetrics(all, budget));
        }
        row("embedding alone", 5_000, metrics(classifier, heldOut, embOnly, 5_000, false),
                metrics(classifier, all, embOnly, 5_000, false));
        for (int budget : BUDGETS) {
            row("embedding + rules (fitted)", budget, metrics(classifier, heldOut, fitted, budget, false),
                    metrics(classifier, all, fitted, budget, false));
            row("embedding + rules (built-in defaults)", budget,
                    metrics(classifier, heldOut, classifier.settings(), budget, false),
                    metrics(classifier, all, classifier.settings(), budget, false));
        }
        System.out.printf("held-out NLL with defaults %.4f; mean confidence %.4f vs accuracy %.4f%n",
                nll(classifier, heldOut, classifier.settings(), 5_000),
                heldOut.stream().mapToDouble(s -> classifier.decide(s.sims(), s.raw().get(5_000), classifier.settings()).confidence()).average().orElse(0),
                metrics(classifier, heldOut, classifier.settings(), 5_000, false)[0]);
        printConfusion(classifier, all, classifier.settings(), 5_000);
    }

    @Test
    void bbcFewShot() {
        List<Doc> docs = ExtractedCorpus.load(Corpus.file("bbc_news/labels.csv"), "label");
        Taxonomy topics = new Taxonomy(List.of(
                new LabelDefinition("business", "Business and economy news: companies, markets, trade and finance.", null, null),
                new LabelDefinition("entertainment", "Entertainment news: film, music, television, celebrities and awards.", null, null),
                new LabelDefinition("politics", "Political news: government, elections, parties and parliament.", null, null),
                new LabelDefinition("sport", "Sport news: football, tennis, athletics, matches and players.", null, null),
                new LabelDefinition("tech", "Technology news: computers, the internet, phones, games and software.", null, null)),
                "other", 0.0, 0.0);
        List<Doc> pool = ExtractedCorpus.half(docs, false);
        List<Doc> test = ExtractedCorpus.half(docs, true);
        EmbeddingClassifier zeroShot = new EmbeddingClassifier(topics);
        System.out.printf("bbc_news odd half (%d documents): zero-shot accuracy %.4f%n", test.size(), accuracy(zeroShot, test));
        System.out.printf("bbc_news even half: zero-shot accuracy %.4f%n", accuracy(zeroShot, pool));
        for (int shots : new int[] {8, 16}) {
            List<Doc> picked = ExtractedCorpus.sample(pool, shots, 42).get(0);
            Map<String, List<String>> examples = new LinkedHashMap<>();
            picked.forEach(d -> examples.computeIfAbsent(d.label(), k -> new ArrayList<>()).add(d.extracted(5_000).text()));
            EmbeddingClassifier fewShot = new EmbeddingClassifier(topics, examples);
            long start = System.nanoTime();
            double accuracy = accuracy(fewShot, test);
            System.out.printf("bbc_news odd half: %d examples per label (seed 42, even half) accuracy %.4f (%.0f documents/s)%n",
                    shots, accuracy, test.size() / ((System.nanoTime() - start) / 1e9));
        }
    }

    private static double accuracy(EmbeddingClassifier classifier, List<Doc> docs) {
        long right = docs.parallelStream().filter(d -> classifier.classify(d.extracted(5_000)).label().equals(d.label())).count();
        return (double) right / docs.size();
    }

    private static void row(String name, int budget, double[] heldOut, double[] whole) {
        System.out.printf("| %s | %,d | %.4f | %.4f | %.4f | %.4f |%n", name, budget, heldOut[0], heldOut[1], whole[0], whole[1]);
    }

    private static double[] rulesMetrics(List<Scored> docs, int budget) {
        return metrics(docs.stream().map(s -> s.doc().label()).toList(), docs.stream().map(s -> s.rules().get(budget)).toList());
    }

    private static double[] metrics(EmbeddingClassifier c, List<Scored> docs, EmbeddingClassifier.Settings s, int budget, boolean print) {
        List<String> predicted = docs.stream().map(d -> c.decide(d.sims(), d.raw().get(budget), s).label()).toList();
        return metrics(docs.stream().map(d -> d.doc().label()).toList(), predicted);
    }

    /** Accuracy and macro-F1 over the true labels. */
    static double[] metrics(List<String> truth, List<String> predicted) {
        int right = 0;
        Map<String, int[]> counts = new HashMap<>(); // tp, predicted, actual
        for (int i = 0; i < truth.size(); i++) {
            String t = truth.get(i);
            String p = predicted.get(i);
            counts.computeIfAbsent(t, k -> new int[3])[2]++;
            counts.computeIfAbsent(p, k -> new int[3])[1]++;
            if (t.equals(p)) {
                right++;
                counts.get(t)[0]++;
            }
        }
        double f1 = 0;
        int classes = 0;
        for (String label : new TreeSet<>(truth)) {
            int[] c = counts.get(label);
            double precision = c[1] == 0 ? 0 : (double) c[0] / c[1];
            double recall = (double) c[0] / c[2];
            f1 += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            classes++;
        }
        return new double[] {(double) right / truth.size(), f1 / classes};
    }

    private static double nll(EmbeddingClassifier c, List<Scored> docs, EmbeddingClassifier.Settings s, int budget) {
        double total = 0;
        for (Scored d : docs) {
            Outcome.Classified out = c.decide(d.sims(), d.raw().get(budget), s);
            total -= Math.log(Math.max(1e-4, out.scores().getOrDefault(d.doc().label(), 0.0)));
        }
        return total / docs.size();
    }

    private static void printConfusion(EmbeddingClassifier c, List<Scored> docs, EmbeddingClassifier.Settings s, int budget) {
        Map<String, Map<String, Integer>> confusion = new java.util.TreeMap<>();
        for (Scored d : docs) {
            String p = c.decide(d.sims(), d.raw().get(budget), s).label();
            confusion.computeIfAbsent(d.doc().label(), k -> new java.util.TreeMap<>()).merge(p, 1, Integer::sum);
            if (!p.equals(d.doc().label())) {
                System.out.println("  miss: " + d.doc().label() + " -> " + p + ": " + d.doc().path());
            }
        }
        confusion.forEach((t, row) -> System.out.println("  " + t + " -> " + row));
    }
}
