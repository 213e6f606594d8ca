package io.docclassify.classify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docclassify.spi.ExtractedText;
import java.util.Arrays;
import java.util.List;

/**
 * The calibrated model that combines the evidence for the built-in document types: a multinomial
 * logistic regression over the keyword evidence, the {@linkplain DocumentShape structural cues}, the
 * media type, a few document statistics and, once a person's corrections bring in the sentence
 * encoder, the embedding similarities, with {@code other} as a class of its own. Both models ship in
 * the jar ({@value #RESOURCE} and {@value #WITH_SIMILARITIES_RESOURCE}).
 *
 * <p>Immutable and thread-safe.
 */
/*
 * Design. A label's logit is one weighted sum over evidence of the same kind for every label
 * (similarity, keywords, shape, media type), so the weights learnt from the labels in the training
 * sources carry over to documents of sources nobody fitted on; only the per-label bias and the few
 * document statistics (pages, length, characters per page) have weights of their own, kept small by
 * regularisation. `other` is scored by how weak the best evidence for any label is. The weights are
 * fitted by DocumentTypeModelFit in the tests, which also reports the accuracy when each source is
 * left out of the fit; docs/accuracy.md has the figures and the command.
 *
 * The zero-shot model has no similarity features: on sources left out of the fit the MiniLM
 * similarities added nothing measurable (docs/encoders.md), and without them the default run loads
 * and runs no encoder. Corrections start from the model fitted with them, since the examples a
 * person labelled move the label prototypes the similarities are measured against.
 */
record DocumentTypeModel(List<String> classes, double[] shared, double[] bias, double[][] document) {

    static final String RESOURCE = "document-types-model.json";
    static final String WITH_SIMILARITIES_RESOURCE = "document-types-model-with-similarities.json";
    /** Shared weights: similarity, keywords, shape, media type; other: best similarity, keywords, shape, bias (other's own shape counts as shape). */
    static final int SHARED = 8;
    /** The shared features that hold similarities: a label's, and other's best one. */
    static final int[] SIMILARITY_FEATURES = {0, 4};
    /** Document statistics: log pages, log characters, complete, log characters per page. */
    static final int DOCUMENT = 4;

    DocumentTypeModel {
        classes = List.copyOf(classes);
        if (shared.length != SHARED || bias.length != classes.size() || document.length != classes.size()) {
            throw new IllegalArgumentException("model weights do not fit its " + classes.size() + " classes");
        }
    }

    /** The evidence for one document: per label (the classes but the last, other) and for the document. */
    record Evidence(double[][] perLabel, double[] perDocument) {}

    /**
     * The evidence the model weighs, from its parts; {@code otherShape} is the structural evidence for
     * the fallback (code or data rather than a document), weighed as the labels' shape is.
     */
    static Evidence evidence(double[] sims, double[] rawKeywords, double[] shape, double otherShape,
            boolean[] mediaType, ExtractedText text) {
        int n = sims.length;
        double[][] perLabel = new double[n + 1][SHARED];
        double maxSim = Double.NEGATIVE_INFINITY;
        double maxKeywords = 0;
        double maxShape = 0;
        for (int l = 0; l < n; l++) {
            perLabel[l][0] = sims[l];
            perLabel[l][1] = Math.log1p(rawKeywords[l]);
            perLabel[l][2] = shape[l];
            perLabel[l][3] = mediaType[l] ? 1 : 0;
            maxSim = Math.max(maxSim, sims[l]);
            maxKeywords = Math.max(maxKeywords, perLabel[l][1]);
            maxShape = Math.max(maxShape, shape[l]);
        }
        perLabel[n][2] = otherShape;
        perLabel[n][4] = maxSim;
        perLabel[n][5] = maxKeywords;
        perLabel[n][6] = maxShape;
        perLabel[n][7] = 1;
        double pages = text.pages() == null || text.pages() < 1 ? 1 : text.pages();
        double chars = text.totalChars();
        double[] perDocument = {Math.log(pages), Math.log1p(chars) / 8, text.complete() ? 1 : 0, Math.log1p(chars / pages) / 8};
        return new Evidence(perLabel, perDocument);
    }

    /** The logits of the classes for {@code evidence}. */
    double[] logits(Evidence evidence) {
        double[] z = new double[classes.size()];
        for (int c = 0; c < z.length; c++) {
            z[c] = bias[c];
            for (int k = 0; k < SHARED; k++) {
                z[c] += shared[k] * evidence.perLabel()[c][k];
            }
            for (int j = 0; j < DOCUMENT; j++) {
                z[c] += document[c][j] * evidence.perDocument()[j];
            }
        }
        return z;
    }

    /** The probabilities of the classes (softmax of the logits). */
    double[] probabilities(Evidence evidence) {
        return softmax(logits(evidence));
    }

    static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double total = 0;
        double[] p = new double[z.length];
        for (int c = 0; c < z.length; c++) {
            p[c] = Math.exp(z[c] - max);
            total += p[c];
        }
        for (int c = 0; c < z.length; c++) {
            p[c] /= total;
        }
        return p;
    }

    /** L2 penalties of a fit, for the shared weights, the biases and the document weights. */
    record Penalties(double shared, double bias, double document) {}

    /**
     * Fits a model to labelled evidence: the weighted log-likelihood ({@code weight} per sample) with L2
     * penalties towards {@code prior}'s weights (towards 0 when it is {@code null}), by Adam with a fixed
     * number of steps, so the same data give the same weights. A class with no sample keeps the prior's
     * weights, or without a prior the median bias of the others and no document weights.
     */
    static DocumentTypeModel fit(List<String> classes, List<Evidence> evidence, int[] y, double[] weight,
            DocumentTypeModel prior, Penalties penalties, int iterations) {
        int c = classes.size();
        double[] w = prior != null ? prior.flat() : new double[SHARED + c + c * DOCUMENT];
        if (prior == null) {
            w[0] = 10;
            w[1] = 1;
        }
        double[] anchor = w.clone();
        boolean[] present = new boolean[c];
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            present[y[i]] = true;
            total += weight[i];
        }
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        for (int it = 1; it <= iterations; it++) {
            double[] g = new double[w.length];
            DocumentTypeModel model = fromFlat(classes, w);
            for (int i = 0; i < y.length; i++) {
                Evidence e = evidence.get(i);
                double[] p = model.probabilities(e);
                for (int cl = 0; cl < c; cl++) {
                    double err = weight[i] / total * (p[cl] - (cl == y[i] ? 1 : 0));
                    for (int f = 0; f < SHARED; f++) {
                        g[f] += err * e.perLabel()[cl][f];
                    }
                    g[SHARED + cl] += err;
                    for (int f = 0; f < DOCUMENT; f++) {
                        g[SHARED + c + cl * DOCUMENT + f] += err * e.perDocument()[f];
                    }
                }
            }
            for (int f = 0; f < w.length; f++) {
                double lambda = f < SHARED ? penalties.shared() : f < SHARED + c ? penalties.bias() : penalties.document();
                g[f] += 2 * lambda * (w[f] - (prior != null ? anchor[f] : 0));
                m[f] = 0.9 * m[f] + 0.1 * g[f];
                v[f] = 0.999 * v[f] + 0.001 * g[f] * g[f];
                w[f] -= 0.05 * (m[f] / (1 - Math.pow(0.9, it))) / (Math.sqrt(v[f] / (1 - Math.pow(0.999, it))) + 1e-8);
            }
        }
        double[] presentBiases = new double[c];
        int count = 0;
        for (int cl = 0; cl < c; cl++) {
            if (present[cl]) {
                presentBiases[count++] = w[SHARED + cl];
            }
        }
        Arrays.sort(presentBiases, 0, count);
        for (int f = 0; f < SHARED; f++) {
            if (prior == null && !anyNonZero(evidence, f)) {
                w[f] = 0; // a feature that is 0 everywhere (no similarities) says nothing; its weight would be the start value
            }
        }
        for (int cl = 0; cl < c; cl++) {
            if (!present[cl]) {
                w[SHARED + cl] = prior != null ? anchor[SHARED + cl] : count == 0 ? 0 : presentBiases[count / 2];
                for (int f = 0; f < DOCUMENT; f++) {
                    int at = SHARED + c + cl * DOCUMENT + f;
                    w[at] = prior != null ? anchor[at] : 0;
                }
            }
        }
        return fromFlat(classes, w);
    }

    private static boolean anyNonZero(List<Evidence> evidence, int feature) {
        for (Evidence e : evidence) {
            for (double[] label : e.perLabel()) {
                if (label[feature] != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private double[] flat() {
        int c = classes.size();
        double[] w = new double[SHARED + c + c * DOCUMENT];
        System.arraycopy(shared, 0, w, 0, SHARED);
        System.arraycopy(bias, 0, w, SHARED, c);
        for (int cl = 0; cl < c; cl++) {
            System.arraycopy(document[cl], 0, w, SHARED + c + cl * DOCUMENT, DOCUMENT);
        }
        return w;
    }

    private static DocumentTypeModel fromFlat(List<String> classes, double[] w) {
        int c = classes.size();
        double[][] document = new double[c][];
        for (int cl = 0; cl < c; cl++) {
            document[cl] = Arrays.copyOfRange(w, SHARED + c + cl * DOCUMENT, SHARED + c + (cl + 1) * DOCUMENT);
        }
        return new DocumentTypeModel(classes, Arrays.copyOfRange(w, 0, SHARED), Arrays.copyOfRange(w, SHARED, SHARED + c), document);
    }

    /** The weights as text, for a classifier's id. */
    String describe() {
        return classes + " " + Arrays.toString(shared) + " " + Arrays.toString(bias) + " " + Arrays.deepToString(document);
    }

    /** The zero-shot model shipped in the jar, without similarity features. */
    static DocumentTypeModel builtIn() {
        return read(RESOURCE);
    }

    /** The model shipped in the jar that weighs the MiniLM similarities too: where corrections start from. */
    static DocumentTypeModel builtInWithSimilarities() {
        return read(WITH_SIMILARITIES_RESOURCE);
    }

    /** Whether this model weighs similarities (its similarity weights are not all 0). */
    boolean weighsSimilarities() {
        return Arrays.stream(SIMILARITY_FEATURES).anyMatch(f -> shared[f] != 0);
    }

    private static DocumentTypeModel read(String resource) {
        return BuiltInResources.read(new ObjectMapper(), resource, new TypeReference<>() {}, "built-in document-type model");
    }
}
