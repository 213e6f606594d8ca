package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import io.docclassify.classify.LinearClassifier;
import io.docclassify.classify.TrainingDocuments;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code doc-classify train}: trains a model from a labels CSV and reports its validation score. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a classifier from a labels CSV (header with 'path' and a label column; paths relative to the CSV).",
            "--kind linear writes a model file for --model; --kind embedding writes a taxonomy YAML whose labels list"
                    + " example documents, for --classifier embedding --taxonomy FILE."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--labels", required = true, paramLabel = "CSV", description = "The labelled documents.")
    Path labels;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "Where to write the model (--kind embedding: the taxonomy, .yaml or .yml).")
    Path out;

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "linear",
            description = "Model kind: linear or embedding (few-shot). Default: ${DEFAULT-VALUE}.")
    String kind;

    @Option(names = "--taxonomy", paramLabel = "FILE",
            description = "--kind embedding: the taxonomy to add the examples to (descriptions, keywords, fallback),"
                    + " or 'builtin' for the built-in document types (to learn from corrections made with review);"
                    + " labels of the CSV it lacks are added with their name as description, rows of its fallback"
                    + " label are skipped. Default: none, the labels of the CSV and no fallback (minConfidence 0).")
    Path taxonomy;

    @Option(names = "--examples-per-label", paramLabel = "N",
            description = "--kind embedding: examples kept per label, drawn by --seed. Default: all.")
    Integer examplesPerLabel;

    @Option(names = "--label-column", paramLabel = "NAME", defaultValue = "label",
            description = "The CSV column holding the labels. Default: ${DEFAULT-VALUE}.")
    String labelColumn;

    @Option(names = "--validation", paramLabel = "SHARE", defaultValue = "0.2",
            description = "Share of each label held out to score the model (0 for none); the saved model is then"
                    + " trained on all documents. Default: ${DEFAULT-VALUE}.")
    double validation;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the validation hold-out and of --examples-per-label. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = {"-w", "--workers"}, paramLabel = "N", description = "Documents extracted at once. Default: the number of cores.")
    Integer workers;

    @Option(names = "--buckets", paramLabel = "N", description = "Feature hash buckets, a power of two. Default: 262144 (2^18).")
    Integer buckets;

    @Option(names = "--c", paramLabel = "COST", description = "Regularisation cost C of the SVM (larger fits closer). Default: 1.")
    Double c;

    @Option(names = "--bigrams", description = "Word pairs as features too (measured worse on reuters_r8_test, equal on bbc_news).")
    boolean bigrams;

    @Option(names = "--signed", description = "Signed feature hashing.")
    boolean signed;

    @Option(names = "--features", paramLabel = "SET", defaultValue = AUTO,
            description = "--kind linear: what the model reads: words (hashed words, microseconds per document),"
                    + " words+embedding (the words plus MiniLM sentence features: more accurate with few labelled"
                    + " documents, about as slow as the embedding classifier), or auto: the one that scores better on"
                    + " the validation hold-out (on a tie words+embedding below 20 documents per label, else words; words with"
                    + " --validation 0)."
                    + " Default: ${DEFAULT-VALUE}.")
    String features;

    /** Below this many training documents per label, {@code --features auto} breaks a tie for the sentence features. */
    static final int FEW_PER_LABEL = 20;

    /** The {@code --features} value that lets validation choose. */
    static final String AUTO = "auto";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        if (kind.equals("embedding")) {
            return new FewShotTraining(labels, labelColumn, out, taxonomy, examplesPerLabel, validation, seed,
                    workers(), console).run();
        }
        if (taxonomy != null || examplesPerLabel != null) {
            throw new ConfigurationException("--taxonomy and --examples-per-label are for --kind embedding");
        }
        LinearClassifier.Settings settings = settings();
        LinearClassifier.Features chosen = features.equals(AUTO) ? null : features(features);
        int threads = workers();
        long start = System.nanoTime();
        TrainingDocuments documents = TrainingDocuments.read(labels, labelColumn, threads);
        double extractSeconds = (System.nanoTime() - start) / 1e9;
        documents.skipped().forEach(line -> console.println("skipped  " + line));
        printUnlabelled(documents, labelColumn, console);
        List<LinearClassifier.Example> examples = documents.examples();
        Map<String, Integer> counts = new TreeMap<>();
        examples.forEach(e -> counts.merge(e.label(), 1, Integer::sum));
        if (counts.size() < 2) {
            throw new ConfigurationException(labels + " gives documents of " + counts.size() + " label"
                    + (counts.size() == 1 ? " (" + counts.keySet().iterator().next() + ")" : "s") + " after skipping "
                    + documents.skipped().size() + " rows; training needs at least 2 labels with documents");
        }
        counts.forEach((label, n) -> {
            if (n == 1) {
                console.println("warning  label '" + label + "' has one example; the model will rarely choose it;"
                        + " label more documents");
            }
        });
        console.printf(Locale.ROOT, "read     %,d documents in %.1f s (%,d skipped)%n", examples.size(), extractSeconds,
                documents.skipped().size());
        LinearClassifier.SentenceCache cache = new LinearClassifier.SentenceCache();
        if (validation > 0) {
            chosen = validate(examples, settings, chosen, cache, console);
        }
        if (chosen == null) {
            chosen = LinearClassifier.Features.WORDS;
            console.println("features words (--features auto without a validation score to choose by; pass"
                    + " --features words+embedding to add MiniLM sentence features)");
        }
        settings = settings.withFeatures(chosen);
        long fitStart = System.nanoTime();
        LinearClassifier model = LinearClassifier.train(examples, settings, cache);
        double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
        model.save(out);
        console.printf(Locale.ROOT, "trained  %s on %,d documents in %.2f s (fit only)%n", model.id(), examples.size(),
                fitSeconds);
        console.println("labels   " + model.provenance().examplesPerLabel());
        console.printf(Locale.ROOT, "features %,d of %,d hash buckets used (words%s%s, title words; sublinear tf-idf,"
                + " L2)%s; C = %s%n", model.usedBuckets(), settings.buckets(), settings.bigrams() ? ", word pairs" : "",
                settings.signed() ? ", signed" : "", chosen == LinearClassifier.Features.WORDS ? ""
                        : " + 384 MiniLM sentence features", settings.c());
        console.println("wrote    " + out);
        console.flush();
        return 0;
    }

    private int workers() {
        int threads = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
        if (threads < 1) {
            throw new ConfigurationException("--workers must be >= 1, got " + threads);
        }
        return threads;
    }

    private LinearClassifier.Settings settings() {
        if (!kind.equals("linear")) {
            throw new ConfigurationException("--kind must be linear or embedding, got '" + kind + "'");
        }
        if (!(validation >= 0 && validation < 1)) {
            throw new ConfigurationException("--validation must be a share from 0 (none) to below 1, such as 0.2; got "
                    + validation);
        }
        LinearClassifier.Settings settings = LinearClassifier.Settings.defaults().withBigrams(bigrams).withSigned(signed);
        try {
            if (buckets != null) {
                settings = settings.withBuckets(buckets);
            }
            if (c != null) {
                settings = settings.withC(c);
            }
        } catch (ConfigurationException e) {
            throw new ConfigurationException("--" + e.getMessage().replace("the regularisation cost C", "c"), e);
        }
        return settings;
    }

    /** Prints how many rows had an empty label (a review CSV's rows nobody labelled); they are not read. */
    static void printUnlabelled(TrainingDocuments documents, String labelColumn, PrintWriter console) {
        if (documents.unlabelled() > 0) {
            console.printf(Locale.ROOT, "skipped  %,d rows with an empty '%s' column (not labelled yet)%n",
                    documents.unlabelled(), labelColumn);
        }
    }

    private static LinearClassifier.Features features(String name) {
        try {
            return LinearClassifier.Features.named(name);
        } catch (ConfigurationException e) {
            throw new ConfigurationException("--features must be words, words+embedding or auto, got '" + name + "'", e);
        }
    }

    /**
     * Scores a model trained on the rest on a stratified hold-out, for {@code chosen} features or, when
     * it is {@code null} ({@code --features auto}), for both sets; returns the features to train with:
     * {@code chosen}, or the set that scored better; on a tie the sentence features when the labels
     * have fewer than {@link #FEW_PER_LABEL} documents on average to fit on (where they won in every
     * measurement), else words for their speed; {@code null} when
     * there were too few documents to hold some out.
     */
    private LinearClassifier.Features validate(List<LinearClassifier.Example> examples, LinearClassifier.Settings settings,
            LinearClassifier.Features chosen, LinearClassifier.SentenceCache cache, PrintWriter console) {
        boolean[] held = Stratified.holdOut(examples.stream().map(LinearClassifier.Example::label).toList(), validation, seed);
        List<LinearClassifier.Example> fit = new ArrayList<>();
        List<LinearClassifier.Example> check = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            (held[i] ? check : fit).add(examples.get(i));
        }
        if (check.isEmpty() || fit.stream().map(LinearClassifier.Example::label).distinct().count() < 2) {
            console.println("validate skipped: too few documents per label to hold some out");
            return chosen;
        }
        List<LinearClassifier.Features> candidates = chosen != null ? List.of(chosen)
                : List.of(LinearClassifier.Features.WORDS, LinearClassifier.Features.WORDS_AND_EMBEDDING);
        List<String> expected = check.stream().map(LinearClassifier.Example::label).toList();
        LinearClassifier.Features best = null;
        double bestAccuracy = -1;
        StringBuilder scores = new StringBuilder();
        for (LinearClassifier.Features candidate : candidates) {
            LinearClassifier model = LinearClassifier.train(fit, settings.withFeatures(candidate), cache);
            List<String> predicted = check.parallelStream().map(e -> model.classify(e, cache).label()).toList();
            Evaluation evaluation = Evaluation.of(expected, predicted);
            console.printf(Locale.ROOT, "validate %,d held out (%.0f%% of each label, seed %d), model trained on the other"
                    + " %,d: accuracy %.4f, macro-F1 %.4f (%s)%n", check.size(), validation * 100, seed, fit.size(),
                    evaluation.accuracy(), evaluation.macroF1(), candidate.label());
            scores.append(scores.isEmpty() ? "" : " against ")
                    .append(String.format(Locale.ROOT, "%.4f with %s", evaluation.accuracy(), candidate.label()));
            boolean few = fit.size() < FEW_PER_LABEL * expected.stream().distinct().count();
            if (evaluation.accuracy() > bestAccuracy
                    || evaluation.accuracy() == bestAccuracy && few && candidate != LinearClassifier.Features.WORDS) {
                best = candidate;
                bestAccuracy = evaluation.accuracy();
            }
        }
        if (chosen == null) {
            console.println("features " + best.label() + " (--features auto: validation accuracy " + scores + ")");
        }
        return best;
    }
}
