package io.docclassify.classify;

import io.docclassify.ConfigurationException;
import io.docclassify.Outcome;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A fast, deterministic classifier that scores a taxonomy's weighted keywords over the text.
 *
 * <p>Thread-safe; it holds only what it precomputed from the taxonomy.
 */
/*
 * Design: the text is tokenized once into lower-case words; every keyword phrase is indexed by its
 * first word, so matching costs one hash lookup per word whatever the taxonomy's size. A match in
 * the head of the document (the title and the first HEAD_CHARS characters) counts HEAD_WEIGHT
 * times: a document says what it is at the top. Hits saturate (weight * ln(1 + hits)), so one word
 * repeated a hundred times cannot outvote several different words. Shares of the total score give
 * the per-label scores; the confidence is the top share damped by how much evidence there is, so a
 * single weak hit never yields a confident answer. Below the taxonomy's thresholds the label is the
 * fallback, with confidence 1 minus the top label's confidence.
 */
public final class RulesClassifier implements Classifier {

    static final int HEAD_CHARS = 1_000;
    static final double HEAD_WEIGHT = 3.0;
    /** Evidence (raw score) at which the confidence reaches 1 - 1/e of the top share. */
    static final double EVIDENCE_SCALE = 4.0;
    /** Score a matching media type adds to its label. */
    static final double MEDIA_TYPE_SCORE = 8.0;

    private record Phrase(String[] words, int label, int keyword, double weight) {}

    private final Taxonomy taxonomy;
    private final Map<String, List<Phrase>> byFirstWord = new HashMap<>();
    private final int[] keywordsPerLabel;

    public RulesClassifier(Taxonomy taxonomy) {
        this.taxonomy = Objects.requireNonNull(taxonomy, "taxonomy");
        keywordsPerLabel = new int[taxonomy.labels().size()];
        for (int l = 0; l < taxonomy.labels().size(); l++) {
            int k = 0;
            for (Map.Entry<String, Double> keyword : taxonomy.labels().get(l).keywords().entrySet()) {
                String[] words = words(keyword.getKey());
                if (words.length == 0) {
                    throw new ConfigurationException("label '" + taxonomy.labels().get(l).name() + "': keyword '"
                            + keyword.getKey() + "' has no letter or digit and can never match; remove it");
                }
                byFirstWord.computeIfAbsent(words[0], w -> new ArrayList<>())
                        .add(new Phrase(words, l, k++, keyword.getValue()));
            }
            keywordsPerLabel[l] = k;
        }
    }

    @Override
    public String id() {
        return "rules";
    }

    /** The taxonomy this classifier scores. */
    public Taxonomy taxonomy() {
        return taxonomy;
    }

    @Override
    public Outcome.Classified classify(ExtractedText text) {
        double[] scores = rawScores(text);
        double total = 0;
        for (double score : scores) {
            total += score;
        }
        return decide(scores, total);
    }

    /** Each label's raw keyword and media-type score, in taxonomy order (the evidence other classifiers combine). */
    double[] rawScores(ExtractedText text) {
        int labels = taxonomy.labels().size();
        double[][] hits = new double[labels][];
        for (int l = 0; l < labels; l++) {
            hits[l] = new double[keywordsPerLabel[l]];
        }
        if (text.title() != null) {
            count(words(text.title()), new int[0], true, hits);
        }
        List<int[]> offsets = new ArrayList<>();
        String[] words = words(text.text(), offsets);
        int[] starts = offsets.isEmpty() ? new int[0] : offsets.get(0);
        count(words, starts, false, hits);

        double[] scores = new double[labels];
        for (int l = 0; l < labels; l++) {
            LabelDefinition label = taxonomy.labels().get(l);
            int k = 0;
            for (double weight : label.keywords().values()) {
                scores[l] += weight * Math.log1p(hits[l][k++]);
            }
            if (label.mediaTypes().contains(text.mediaType())) {
                scores[l] += MEDIA_TYPE_SCORE;
            }
        }
        return scores;
    }

    private Outcome.Classified decide(double[] scores, double total) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i));
        Map<String, Double> shares = new LinkedHashMap<>();
        for (int i : order) {
            shares.put(taxonomy.labels().get(i).name(), total > 0 ? round(scores[i] / total) : 0.0);
        }
        int top = order[0];
        double confidence = total > 0
                ? round(scores[top] / total * (1 - Math.exp(-scores[top] / EVIDENCE_SCALE)))
                : 0.0;
        if (scores[top] < taxonomy.minScore() || confidence < taxonomy.minConfidence()) {
            return new Outcome.Classified(taxonomy.other(), round(1 - confidence), shares);
        }
        return new Outcome.Classified(taxonomy.labels().get(top).name(), confidence, shares);
    }

    private void count(String[] words, int[] starts, boolean head, double[][] hits) {
        for (int i = 0; i < words.length; i++) {
            List<Phrase> candidates = byFirstWord.get(words[i]);
            if (candidates == null) {
                continue;
            }
            double weight = head || starts[i] < HEAD_CHARS ? HEAD_WEIGHT : 1.0;
            for (Phrase phrase : candidates) {
                if (matches(words, i, phrase.words())) {
                    hits[phrase.label()][phrase.keyword()] += weight;
                }
            }
        }
    }

    private static boolean matches(String[] words, int at, String[] phrase) {
        if (at + phrase.length > words.length) {
            return false;
        }
        for (int j = 1; j < phrase.length; j++) {
            if (!phrase[j].equals(words[at + j])) {
                return false;
            }
        }
        return true;
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

    static String[] words(String text) {
        return words(text, new ArrayList<>());
    }

    /** Splits into lower-case runs of letters and digits; {@code offsets} receives their start offsets. */
    private static String[] words(String text, List<int[]> offsets) {
        List<String> words = new ArrayList<>();
        int[] starts = new int[16];
        int n = 0;
        int i = 0;
        int length = text.length();
        while (i < length) {
            while (i < length && !Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < length && Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                words.add(text.substring(start, i).toLowerCase(Locale.ROOT));
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, n * 2);
                }
                starts[n++] = start;
            }
        }
        offsets.add(Arrays.copyOf(starts, n));
        return words.toArray(String[]::new);
    }
}
