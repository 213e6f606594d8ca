package io.docclassify.classify;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import io.docclassify.ConfigurationException;
import io.docclassify.Outcome;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * A classifier trained from labelled documents: hashed word (and optionally word-pair) features,
 * TF-IDF weighting, optionally MiniLM sentence features ({@link Features#WORDS_AND_EMBEDDING}), and
 * a one-vs-rest linear support vector machine.
 *
 * <p>Train one with {@link #train}, keep it with {@link #save}, get it back with {@link #load}.
 * Thread-safe and immutable. Scores are probabilities over all labels that sum to 1 (each rounded to
 * 4 decimals, so the sum is 1 within {@code labels * 0.00005}); the confidence is the top score. The
 * {@link #id()} names the model's content, so every record says which model version labelled it.
 */
/*
 * Design: features are lower-cased letter/digit tokens and adjacent token pairs, hashed into a
 * power-of-two number of buckets (no vocabulary to store, unseen words cost nothing); title words
 * use their own buckets. Term frequency is sublinear (1 + ln tf), idf is smoothed
 * (ln((1 + N) / (1 + df)) + 1, learned at training; an unseen bucket gets the df = 0 value) and each
 * vector is L2-normalised, as in the usual TF-IDF text classifiers. liblinear's L2-regularised
 * L2-loss linear SVM (dual coordinate descent) fits one binary model per label: on the training
 * halves' validation splits it beat logistic regression (reuters_r8_test 0.964 against 0.955 over
 * three seeds; bbc_news equal). The scores are a softmax of the decision values times
 * SOFTMAX_SCALE: margins of +1 and -1 (where the SVM puts the two sides) give 0.9997 against
 * 0.0003, two labels near the boundary share the mass. Prediction does not go through liblinear: the weights are copied into one dense array
 * (bucket-major), so a document costs one sort of its feature keys and a multiply-add per feature
 * and label.
 *
 * Sentence features (Features.WORDS_AND_EMBEDDING): the document's MiniLM vector (SentenceFeatures:
 * the mean of its first windows, unit length) is appended to the L2-normalised words, times
 * SENTENCE_WEIGHT, and the same SVM fits both blocks. Words alone tell topics apart by their
 * vocabulary; the sentence vector adds what a small training set has not seen (synonyms, paraphrase),
 * so it helps most when few documents per label are labelled (reuters_r8_test trained on 25 %: 0.942
 * -> 0.967; on the long bbc_news articles the words alone did better: 0.972 against 0.965). It costs one model call per window and
 * document, which makes the classifier as slow as the embedding classifier (its figures are in the
 * README), where words alone cost microseconds.
 */
public final class LinearClassifier implements Classifier {

    /** What a model reads of a document. */
    public enum Features {
        /** Hashed words (and word pairs when {@link Settings#bigrams()}) with TF-IDF weighting. */
        WORDS("words"),
        /** The words plus the document's MiniLM sentence vector (384 dense features). */
        WORDS_AND_EMBEDDING("words+embedding");

        private final String label;

        Features(String label) {
            this.label = label;
        }

        /** The name model files, messages and the command line use: {@code words} or {@code words+embedding}. */
        public String label() {
            return label;
        }

        /**
         * The features named {@code name}, as {@link #label()} spells them.
         *
         * @throws ConfigurationException for another name, listing the known ones
         */
        public static Features named(String name) {
            for (Features f : values()) {
                if (f.label.equals(name)) {
                    return f;
                }
            }
            throw new ConfigurationException("features must be 'words' or 'words+embedding', got '" + name + "'");
        }
    }

    /**
     * How documents become features and how hard the regression is regularised.
     *
     * @param buckets hash buckets, a power of two from 2^10 to 2^24
     * @param bigrams whether adjacent word pairs are features too
     * @param signed whether each feature's hash also picks a sign (fewer biased collisions)
     * @param c liblinear's cost: larger fits the training data more closely
     * @param features words alone, or words and the sentence vector
     */
    public record Settings(int buckets, boolean bigrams, boolean signed, double c, Features features) {
        public Settings {
            Objects.requireNonNull(features, "features");
            if (buckets < 1 << 10 || buckets > 1 << 24 || Integer.bitCount(buckets) != 1) {
                throw new ConfigurationException("buckets must be a power of two from 1024 (2^10) to 16777216 (2^24), got "
                        + buckets);
            }
            if (!(c > 0 && c < 1e6)) {
                throw new ConfigurationException("the regularisation cost C must be > 0 and < 1e6, got " + c);
            }
        }

        /** Settings with words alone as features. */
        public Settings(int buckets, boolean bigrams, boolean signed, double c) {
            this(buckets, bigrams, signed, c, Features.WORDS);
        }

        /**
         * 2^18 buckets, words without word pairs, unsigned hashing, C = 1: the best validation score
         * on the training halves of bbc_news and reuters_r8_test (word pairs cost reuters several
         * points; signed hashing did no better; C from 1 to 100 gave the same mean with the SVM).
         */
        public static Settings defaults() {
            return new Settings(1 << 18, false, false, 1);
        }

        public Settings withBuckets(int value) {
            return new Settings(value, bigrams, signed, c, features);
        }

        public Settings withBigrams(boolean value) {
            return new Settings(buckets, value, signed, c, features);
        }

        public Settings withSigned(boolean value) {
            return new Settings(buckets, bigrams, value, c, features);
        }

        public Settings withC(double value) {
            return new Settings(buckets, bigrams, signed, value, features);
        }

        public Settings withFeatures(Features value) {
            return new Settings(buckets, bigrams, signed, c, value);
        }

        /** How the words-only settings printed before sentence features existed; model ids are digests of it. */
        String wordsDescription() {
            return "Settings[buckets=" + buckets + ", bigrams=" + bigrams + ", signed=" + signed + ", c=" + c + "]";
        }
    }

    /**
     * How a model reads sentence features: the windows of text it embeds and the weight of the
     * vector beside the words; recorded in its file.
     */
    record Sentence(int windows, double weight) {
        static final Sentence DEFAULT = new Sentence(SENTENCE_WINDOWS, SENTENCE_WEIGHT);

        Sentence {
            if (windows < 1 || windows > 16 || !(weight > 0 && weight <= 100)) {
                throw new IllegalArgumentException("windows 1..16 and a weight in (0, 100], got " + windows + ", " + weight);
            }
        }

        float[] vector(String title, String text) {
            return SentenceFeatures.vector(title, text, windows);
        }
    }

    /**
     * Sentence vectors of training documents, each computed once: pass the same cache to every
     * training and {@link #classify(Example, SentenceCache)} of the same documents (a validation
     * split, then the final model) so none is embedded twice. Thread-safe; holds what it computed
     * until dropped.
     */
    public static final class SentenceCache {
        private final Map<Example, float[]> vectors = new ConcurrentHashMap<>();

        float[] vector(Example example, Sentence sentence) {
            return vectors.computeIfAbsent(example, e -> sentence.vector(e.title(), e.text()));
        }
    }

    /**
     * One labelled training document.
     *
     * @param label its label
     * @param title its title, or {@code null}
     * @param text its extracted text
     * @param sha256 the SHA-256 of its file (lower-case hex), which goes into the training-data digest
     */
    public record Example(String label, String title, String text, String sha256) {
        public Example {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(sha256, "sha256");
            if (label.isBlank()) {
                throw new IllegalArgumentException("label must not be blank");
            }
        }

        /** An example from a text alone; its digest is the SHA-256 of the UTF-8 text. */
        public static Example of(String label, String text) {
            return new Example(label, null, text, sha256Hex(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /**
     * Where a model came from, as its file records it.
     *
     * @param examplesPerLabel training documents per label, by label
     * @param trainingDigest SHA-256 over the sorted {@code sha256 label} lines of the training documents
     * @param docClassifyVersion the version that trained it
     * @param createdAt when it was trained
     */
    public record Provenance(Map<String, Integer> examplesPerLabel, String trainingDigest, String docClassifyVersion,
            Instant createdAt) {
        public Provenance {
            examplesPerLabel = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(examplesPerLabel));
        }

        /** Training documents in all. */
        public int documents() {
            return examplesPerLabel.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    static final double SOLVER_EPSILON = 0.01;
    /** Decision values are multiplied by this before the softmax that turns them into scores. */
    static final double SOFTMAX_SCALE = 4.0;
    /**
     * Windows of text embedded for the sentence features: one (the title and the opening), chosen on
     * validation splits of the training halves of bbc_news and reuters_r8_test (SentenceFeaturesExperiment:
     * mean accuracy 0.962 with one window, at most 0.954 with three at three times the cost, 0.948 for words alone).
     */
    static final int SENTENCE_WINDOWS = 1;
    /** The sentence vector's length beside the words' (both unit length before it); 0.5 and 2 scored lower on average. */
    static final double SENTENCE_WEIGHT = 1.0;

    private final List<String> labels;
    private final Settings settings;
    private final Provenance provenance;
    /** Per bucket, the training documents that hold it; the model file stores it. */
    private final int[] df;
    /** Per bucket, the idf, from {@code df}. */
    private final double[] idf;
    /** Bucket-major: weights[bucket * labels + label]. */
    private final double[] weights;
    private final double[] bias;
    /** With sentence features, how they are read; else {@code null}. */
    private final Sentence sentence;
    /** Dimension-major: sentenceWeights[dimension * labels + label]; empty without sentence features. */
    private final double[] sentenceWeights;
    private final int usedBuckets;
    private final String id;

    LinearClassifier(List<String> labels, Settings settings, Provenance provenance, int[] df, double[] weights,
            double[] bias, Sentence sentence, double[] sentenceWeights) {
        if ((sentence != null) != (settings.features() == Features.WORDS_AND_EMBEDDING)
                || sentenceWeights.length != (sentence == null ? 0 : SentenceFeatures.DIMENSIONS * labels.size())) {
            throw new IllegalArgumentException("sentence settings and weights must match the features " + settings.features());
        }
        this.sentence = sentence;
        this.sentenceWeights = sentenceWeights;
        this.labels = List.copyOf(labels);
        this.settings = settings;
        this.provenance = provenance;
        this.df = df;
        this.weights = weights;
        this.bias = bias;
        int documents = provenance.documents();
        this.idf = new double[df.length];
        int used = 0;
        for (int b = 0; b < df.length; b++) {
            idf[b] = Math.log((1.0 + documents) / (1.0 + df[b])) + 1;
            used += df[b] > 0 ? 1 : 0;
        }
        this.usedBuckets = used;
        this.id = "linear@" + ModelFile.modelDigest(this).substring(0, 12);
    }

    /**
     * Trains a model; the labels are those of the examples, sorted by name.
     *
     * @throws ConfigurationException when the examples hold fewer than 2 labels
     */
    public static LinearClassifier train(List<Example> examples, Settings settings) {
        return train(examples, settings, new SentenceCache());
    }

    /**
     * Trains a model, taking the examples' sentence vectors from {@code cache} (computing those it
     * lacks); the same as {@link #train(List, Settings)} otherwise.
     */
    public static LinearClassifier train(List<Example> examples, Settings settings, SentenceCache cache) {
        return train(examples, settings, cache,
                settings.features() == Features.WORDS_AND_EMBEDDING ? Sentence.DEFAULT : null);
    }

    static LinearClassifier train(List<Example> examples, Settings settings, SentenceCache cache, Sentence sentence) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(cache, "cache");
        List<String> labels = List.copyOf(new TreeSet<>(examples.stream().map(Example::label).toList()));
        if (labels.size() < 2) {
            throw new ConfigurationException("training needs documents of at least 2 labels, got " + labels.size()
                    + (labels.isEmpty() ? "" : " (" + labels.get(0) + ")") + "; label more documents");
        }
        List<HashedFeatures.Counts> counts = IntStream.range(0, examples.size()).parallel()
                .mapToObj(i -> HashedFeatures.count(examples.get(i).title(), examples.get(i).text(), settings))
                .toList();
        int[] df = new int[settings.buckets()];
        for (HashedFeatures.Counts c : counts) {
            for (int i = 0; i < c.size(); i++) {
                df[c.buckets()[i]]++;
            }
        }
        double[] idf = new double[settings.buckets()];
        for (int b = 0; b < idf.length; b++) {
            idf[b] = Math.log((1.0 + counts.size()) / (1.0 + df[b])) + 1;
        }
        List<float[]> vectors = sentence == null ? null
                : examples.parallelStream().map(e -> cache.vector(e, sentence)).toList();
        Problem problem = problem(examples, labels, counts, idf, settings.buckets(), vectors,
                sentence == null ? 0 : sentence.weight());
        double[][] perLabel = fit(problem, labels.size(), settings.c());
        int dense = vectors == null ? 0 : SentenceFeatures.DIMENSIONS;
        double[] weights = new double[settings.buckets() * labels.size()];
        double[] sentenceWeights = new double[dense * labels.size()];
        double[] bias = new double[labels.size()];
        for (int l = 0; l < labels.size(); l++) {
            for (int b = 0; b < settings.buckets(); b++) {
                weights[b * labels.size() + l] = perLabel[l][b];
            }
            for (int d = 0; d < dense; d++) {
                sentenceWeights[d * labels.size() + l] = perLabel[l][settings.buckets() + d];
            }
            bias[l] = perLabel[l][settings.buckets() + dense];
        }
        Map<String, Integer> perLabelCounts = new TreeMap<>();
        examples.forEach(e -> perLabelCounts.merge(e.label(), 1, Integer::sum));
        Provenance provenance = new Provenance(perLabelCounts, trainingDigest(examples), version(), Instant.now());
        return new LinearClassifier(labels, settings, provenance, df, weights, bias, sentence, sentenceWeights);
    }

    /**
     * The training rows: the words' TF-IDF (bucket b is feature b + 1), then, with {@code vectors},
     * each sentence dimension times {@code weight}, then the bias feature.
     */
    private static Problem problem(List<Example> examples, List<String> labels, List<HashedFeatures.Counts> counts,
            double[] idf, int buckets, List<float[]> vectors, double weight) {
        int dense = vectors == null ? 0 : SentenceFeatures.DIMENSIONS;
        Problem problem = new Problem();
        problem.l = examples.size();
        problem.n = buckets + dense + 1;
        problem.bias = 1.0;
        problem.x = new Feature[examples.size()][];
        problem.y = new double[examples.size()];
        for (int d = 0; d < examples.size(); d++) {
            HashedFeatures.Counts c = counts.get(d);
            double[] values = new double[c.size()];
            double norm = 0;
            for (int i = 0; i < c.size(); i++) {
                values[i] = c.weights()[i] * idf[c.buckets()[i]];
                norm += values[i] * values[i];
            }
            double scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
            Feature[] row = new Feature[c.size() + dense + 1];
            for (int i = 0; i < c.size(); i++) {
                row[i] = new FeatureNode(c.buckets()[i] + 1, values[i] * scale);
            }
            for (int i = 0; i < dense; i++) {
                row[c.size() + i] = new FeatureNode(buckets + 1 + i, weight * vectors.get(d)[i]);
            }
            row[c.size() + dense] = new FeatureNode(buckets + dense + 1, 1.0);
            problem.x[d] = row;
            problem.y[d] = labels.indexOf(examples.get(d).label());
        }
        return problem;
    }

    /**
     * One binary linear SVM per label (that label against the rest), the labels in parallel:
     * what liblinear does for several classes, one at a time. Returns per label the weights of each
     * bucket, then the bias.
     */
    private static double[][] fit(Problem problem, int labelCount, double c) {
        Linear.disableDebugOutput();
        return IntStream.range(0, labelCount).parallel().mapToObj(label -> {
            Problem binary = new Problem();
            binary.l = problem.l;
            binary.n = problem.n;
            binary.bias = problem.bias;
            binary.x = problem.x;
            binary.y = new double[problem.l];
            for (int i = 0; i < problem.l; i++) {
                binary.y[i] = problem.y[i] == label ? 1 : -1;
            }
            Parameter parameter = new Parameter(SolverType.L2R_L2LOSS_SVC_DUAL, c, SOLVER_EPSILON);
            parameter.setRandom(new Random(label));
            Model model = Linear.train(binary, parameter);
            double[] w = model.getFeatureWeights();
            // liblinear orders the two classes as it first meets them; its weights are for the first.
            double sign = model.getLabels()[0] == 1 ? 1 : -1;
            double[] out = new double[problem.n];
            for (int i = 0; i < problem.n; i++) {
                out[i] = sign * w[i];
            }
            return out;
        }).toArray(double[][]::new);
    }

    /**
     * Reads a model written by {@link #save}.
     *
     * @throws ConfigurationException when the file is missing, not a model, damaged, or of a format
     *     this version cannot read; the message says which and what to do
     */
    public static LinearClassifier load(Path file) {
        return ModelFile.read(file);
    }

    /** Writes this model to {@code file}, replacing it atomically. */
    public void save(Path file) throws IOException {
        ModelFile.write(this, file);
    }

    @Override
    public String id() {
        return id;
    }

    /** The labels it chooses from, sorted by name. */
    public List<String> labels() {
        return labels;
    }

    public Settings settings() {
        return settings;
    }

    public Provenance provenance() {
        return provenance;
    }

    /** Hash buckets that held a feature of some training document. */
    public int usedBuckets() {
        return usedBuckets;
    }

    int[] df() {
        return df;
    }

    double[] weights() {
        return weights;
    }

    double[] bias() {
        return bias;
    }

    /** How the model reads sentence features, or {@code null} when it reads words alone. */
    Sentence sentence() {
        return sentence;
    }

    double[] sentenceWeights() {
        return sentenceWeights;
    }

    @Override
    public Outcome.Classified classify(ExtractedText text) {
        return outcome(probabilities(text.title(), text.text(),
                sentence == null ? null : sentence.vector(text.title(), text.text())));
    }

    /**
     * Classifies a labelled document (its label is not looked at), taking its sentence vector from
     * {@code cache}: for scoring a validation split whose documents also train the final model.
     */
    public Outcome.Classified classify(Example example, SentenceCache cache) {
        return outcome(probabilities(example.title(), example.text(),
                sentence == null ? null : cache.vector(example, sentence)));
    }

    private Outcome.Classified outcome(double[] p) {
        Integer[] order = new Integer[p.length];
        Arrays.setAll(order, i -> i);
        double[] rounded = new double[p.length];
        Arrays.setAll(rounded, i -> Math.round(p[i] * 10_000) / 10_000.0);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -rounded[i]).thenComparing(labels::get));
        Map<String, Double> scores = new LinkedHashMap<>();
        for (int i : order) {
            scores.put(labels.get(i), rounded[i]);
        }
        return new Outcome.Classified(labels.get(order[0]), rounded[order[0]], scores);
    }

    /** The probability of each label, in {@link #labels()} order. */
    double[] probabilities(String title, String text) {
        return probabilities(title, text, sentence == null ? null : sentence.vector(title, text));
    }

    /** The same, with the document's sentence vector ({@code null} when the model reads words alone). */
    private double[] probabilities(String title, String text, float[] vector) {
        HashedFeatures.Counts c = HashedFeatures.count(title, text, settings);
        int labelCount = labels.size();
        double[] decision = new double[labelCount];
        double norm = 0;
        for (int i = 0; i < c.size(); i++) {
            int bucket = c.buckets()[i];
            double value = c.weights()[i] * idf[bucket];
            norm += value * value;
            int base = bucket * labelCount;
            for (int l = 0; l < labelCount; l++) {
                decision[l] += value * weights[base + l];
            }
        }
        double scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        for (int l = 0; l < labelCount; l++) {
            decision[l] *= scale;
        }
        if (vector != null) {
            for (int d = 0; d < vector.length; d++) {
                double value = sentence.weight() * vector[d];
                int base = d * labelCount;
                for (int l = 0; l < labelCount; l++) {
                    decision[l] += value * sentenceWeights[base + l];
                }
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int l = 0; l < labelCount; l++) {
            decision[l] = SOFTMAX_SCALE * (decision[l] + bias[l]);
            max = Math.max(max, decision[l]);
        }
        double sum = 0;
        for (int l = 0; l < labelCount; l++) {
            decision[l] = Math.exp(decision[l] - max);
            sum += decision[l];
        }
        for (int l = 0; l < labelCount; l++) {
            decision[l] /= sum;
        }
        return decision;
    }

    private static String trainingDigest(List<Example> examples) {
        List<String> lines = new ArrayList<>(examples.size());
        for (Example e : examples) {
            lines.add(e.sha256() + " " + e.label() + "\n");
        }
        lines.sort(Comparator.naturalOrder());
        MessageDigest digest = sha256();
        lines.forEach(line -> digest.update(line.getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(digest.digest());
    }

    static String version() {
        String version = LinearClassifier.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }
}
