package io.docclassify.classify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The logistic model that weighs {@linkplain PageBoundaries page-boundary features} into the probability that
 * a page starts a new document. Its weights ship in the jar ({@value #RESOURCE}); they are fitted by
 * {@code PageBoundaryModelFit} in the tests on streams built from the tuning sources (docs/splitting.md).
 *
 * <p>Two sets of weights: one for boundaries between pages whose fonts are known (born-digital), one for the
 * rest (scans, OCR), fitted without the font features, since a linear model cannot lean on fonts where they
 * are known and on text alone elsewhere with one set of weights.
 *
 * <p>Immutable and thread-safe.
 *
 * @param features the feature names, in {@link PageBoundaries#FEATURES}' order
 * @param weights one weight per feature, for pages whose fonts are known
 * @param bias their intercept
 * @param textWeights one weight per feature (those of the fonts 0), for the other pages
 * @param textBias their intercept
 * @param threshold the probability from which a page whose fonts are known starts a document
 * @param textThreshold the same for the other pages
 */
record BoundaryModel(List<String> features, double[] weights, double bias, double[] textWeights, double textBias,
        double threshold, double textThreshold) {

    static final String RESOURCE = "page-boundary-model.json";
    private static final int FONTS_KNOWN = PageBoundaries.FEATURES.indexOf("fontsKnown");

    BoundaryModel {
        features = List.copyOf(features);
        if (!features.equals(PageBoundaries.FEATURES) || weights.length != features.size()
                || textWeights.length != features.size()) {
            throw new IllegalArgumentException("boundary model features " + features + " are not those of this version: "
                    + PageBoundaries.FEATURES + "; refit it with PageBoundaryModelFit");
        }
        if (!(threshold > 0 && threshold < 1 && textThreshold > 0 && textThreshold < 1)) {
            throw new IllegalArgumentException("boundary model thresholds must lie strictly between 0 and 1, were "
                    + threshold + " and " + textThreshold + "; refit it with PageBoundaryModelFit");
        }
        weights = weights.clone();
        textWeights = textWeights.clone();
    }

    /** This model with another threshold for pages whose fonts are known. */
    BoundaryModel withThreshold(double value) {
        return new BoundaryModel(features, weights, bias, textWeights, textBias, value, textThreshold);
    }

    /** This model with another threshold for the other pages. */
    BoundaryModel withTextThreshold(double value) {
        return new BoundaryModel(features, weights, bias, textWeights, textBias, threshold, value);
    }

    /** The threshold that applies to the page with features {@code f}. */
    double thresholdFor(double[] f) {
        return f[FONTS_KNOWN] > 0 ? threshold : textThreshold;
    }

    /** The probability that the page with features {@code f} starts a document. */
    double probability(double[] f) {
        boolean fonts = f[FONTS_KNOWN] > 0;
        double[] w = fonts ? weights : textWeights;
        double z = fonts ? bias : textBias;
        for (int i = 0; i < f.length; i++) {
            z += w[i] * f[i];
        }
        return 1 / (1 + Math.exp(-z));
    }

    /**
     * Fits both sets of weights to labelled boundaries ({@code starts[i]}: whether sample {@code i} starts a
     * document): the font weights on the samples whose fonts are known, the text weights on every sample with
     * its font features set to 0 and on {@code textSamples} (pages read by OCR, as scans are), each of those
     * counted {@code textWeight} times.
     */
    static BoundaryModel fit(List<double[]> samples, boolean[] starts, List<double[]> textSamples,
            boolean[] textStarts, double textWeight, double lambda, int iterations, double threshold) {
        List<double[]> withFonts = new ArrayList<>();
        List<Boolean> withFontsStarts = new ArrayList<>();
        List<double[]> textOnly = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            double[] f = samples.get(i);
            if (f[FONTS_KNOWN] > 0) {
                withFonts.add(f);
                withFontsStarts.add(starts[i]);
            }
            double[] text = f.clone();
            Arrays.fill(text, PageBoundaries.FONTS_FROM, PageBoundaries.FONTS_TO + 1, 0);
            textOnly.add(text);
        }
        boolean[] y = new boolean[withFontsStarts.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = withFontsStarts.get(i);
        }
        double[] layout = logistic(withFonts, y, new double[0], lambda, iterations);
        boolean[] textY = Arrays.copyOf(starts, starts.length + textStarts.length);
        System.arraycopy(textStarts, 0, textY, starts.length, textStarts.length);
        double[] sampleWeights = new double[textY.length];
        Arrays.fill(sampleWeights, 1);
        Arrays.fill(sampleWeights, starts.length, textY.length, textWeight);
        for (double[] f : textSamples) {
            double[] text = f.clone();
            Arrays.fill(text, PageBoundaries.FONTS_FROM, PageBoundaries.FONTS_TO + 1, 0);
            textOnly.add(text);
        }
        double[] text = logistic(textOnly, textY, sampleWeights, lambda, iterations);
        int k = PageBoundaries.FEATURES.size();
        return new BoundaryModel(PageBoundaries.FEATURES, Arrays.copyOf(layout, k), layout[k], Arrays.copyOf(text, k),
                text[k], threshold, threshold);
    }

    /**
     * Minimises the log-loss with an L2 penalty {@code lambda} by Adam for a fixed number of steps, so the same
     * data give the same weights; the intercept is last. {@code sampleWeights} count each sample that many times
     * (empty: once each).
     */
    static double[] logistic(List<double[]> samples, boolean[] starts, double[] sampleWeights, double lambda,
            int iterations) {
        int k = samples.isEmpty() ? PageBoundaries.FEATURES.size() : samples.getFirst().length;
        double[] w = new double[k + 1];
        double[] m = new double[k + 1];
        double[] v = new double[k + 1];
        double n = 0;
        for (int i = 0; i < samples.size(); i++) {
            n += sampleWeights.length == 0 ? 1 : sampleWeights[i];
        }
        n = Math.max(1, n);
        for (int it = 1; it <= iterations; it++) {
            double[] g = new double[k + 1];
            for (int i = 0; i < samples.size(); i++) {
                double[] f = samples.get(i);
                double z = w[k];
                for (int j = 0; j < k; j++) {
                    z += w[j] * f[j];
                }
                double err = (1 / (1 + Math.exp(-z)) - (starts[i] ? 1 : 0)) / n
                        * (sampleWeights.length == 0 ? 1 : sampleWeights[i]);
                for (int j = 0; j < k; j++) {
                    g[j] += err * f[j];
                }
                g[k] += err;
            }
            for (int j = 0; j <= k; j++) {
                if (j < k) {
                    g[j] += 2 * lambda * w[j];
                }
                m[j] = 0.9 * m[j] + 0.1 * g[j];
                v[j] = 0.999 * v[j] + 0.001 * g[j] * g[j];
                w[j] -= 0.05 * (m[j] / (1 - Math.pow(0.9, it))) / (Math.sqrt(v[j] / (1 - Math.pow(0.999, it))) + 1e-8);
            }
        }
        return w;
    }

    /** The model shipped in the jar. */
    static BoundaryModel builtIn() {
        return BuiltInResources.read(new ObjectMapper(), RESOURCE, new TypeReference<>() {}, "built-in page-boundary model");
    }
}
