package io.docclassify.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.docclassify.ConfigurationException;
import io.docclassify.classify.EmbeddingClassifier;
import io.docclassify.classify.LabelDefinition;
import io.docclassify.classify.LinearClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.classify.TrainingDocuments;
import io.docclassify.spi.ExtractedText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code train --kind embedding}: few-shot training of the embedding classifier, which has nothing to
 * fit; it writes a taxonomy whose labels list example documents from the labels CSV (paths relative
 * to the written file), which {@code classify} and {@code eval} read with {@code --classifier
 * embedding --taxonomy FILE}.
 */
final class FewShotTraining {

    /** {@code --taxonomy builtin}: the built-in document types (unless a file of that name exists). */
    static final String BUILT_IN = "builtin";

    private final Path labels;
    private final String labelColumn;
    private final Path out;
    private final Path taxonomyFile;
    private final Integer perLabel;
    private final double validation;
    private final long seed;
    private final int workers;
    private final PrintWriter console;

    FewShotTraining(Path labels, String labelColumn, Path out, Path taxonomyFile, Integer perLabel, double validation,
            long seed, int workers, PrintWriter console) {
        this.labels = labels;
        this.labelColumn = labelColumn;
        this.out = out;
        this.taxonomyFile = taxonomyFile;
        this.perLabel = perLabel;
        this.validation = validation;
        this.seed = seed;
        this.workers = workers;
        this.console = console;
    }

    int run() throws InterruptedException, IOException {
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".yaml") && !name.endsWith(".yml")) {
            throw new ConfigurationException("--kind embedding writes a taxonomy: --out must end in .yaml or .yml, got " + out);
        }
        if (perLabel != null && perLabel < 1) {
            throw new ConfigurationException("--examples-per-label must be >= 1, got " + perLabel);
        }
        if (!(validation >= 0 && validation < 1)) {
            throw new ConfigurationException("--validation must be a share from 0 (none) to below 1, such as 0.2; got "
                    + validation);
        }
        Taxonomy base = taxonomyFile == null ? null
                : taxonomyFile.toString().equals(BUILT_IN) && !Files.exists(taxonomyFile) ? Taxonomy.builtIn()
                : Taxonomy.load(taxonomyFile);
        long start = System.nanoTime();
        TrainingDocuments documents = TrainingDocuments.read(labels, labelColumn, workers);
        documents.skipped().forEach(line -> console.println("skipped  " + line));
        TrainCommand.printUnlabelled(documents, labelColumn, console);
        List<LinearClassifier.Example> examples = documents.examples();
        console.printf(Locale.ROOT, "read     %,d documents in %.1f s (%,d skipped)%n", examples.size(),
                (System.nanoTime() - start) / 1e9, documents.skipped().size());
        if (examples.isEmpty()) {
            throw new ConfigurationException(labels + " gives no documents after skipping " + documents.skipped().size()
                    + " rows; nothing to learn from");
        }
        List<Integer> usable = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            if (base == null || !examples.get(i).label().equals(base.other())) {
                usable.add(i);
            }
        }
        if (usable.size() < examples.size()) {
            console.printf(Locale.ROOT, "skipped  %,d documents labelled '%s': the taxonomy's fallback takes no examples%n",
                    examples.size() - usable.size(), base.other());
        }
        if (validation > 0) {
            validate(base, examples, usable);
        }
        List<Integer> picked = pick(examples.stream().map(LinearClassifier.Example::label).toList(), usable);
        Map<String, List<Path>> files = new TreeMap<>();
        picked.forEach(i -> files.computeIfAbsent(examples.get(i).label(), l -> new ArrayList<>()).add(documents.files().get(i)));
        Taxonomy taxonomy = withExamples(base, files);
        Files.writeString(out, yaml(taxonomy));
        Map<String, Integer> counts = new LinkedHashMap<>();
        taxonomy.labels().forEach(l -> counts.put(l.name(), l.examples().size()));
        console.println("examples " + counts + (perLabel == null ? " (all documents of the CSV)"
                : " (at most " + perLabel + " per label, seed " + seed + ")"));
        console.println("taxonomy " + (base == null ? "the labels of the CSV, described by their names, no fallback label"
                : taxonomyFile + (taxonomy.labels().size() > base.labels().size() ? " plus the labels of the CSV it lacks"
                        + " (described by their names)" : "")));
        console.println("wrote    " + out + " (use: --classifier embedding --taxonomy " + out + ")");
        console.flush();
        return 0;
    }

    /** Classifies a stratified hold-out with examples drawn from the rest, and prints the score. */
    private void validate(Taxonomy base, List<LinearClassifier.Example> examples, List<Integer> usable) {
        List<String> labelsOf = examples.stream().map(LinearClassifier.Example::label).toList();
        boolean[] held = Stratified.holdOut(labelsOf, validation, seed);
        List<Integer> rest = new ArrayList<>();
        List<Integer> check = new ArrayList<>();
        for (int i = 0; i < held.length; i++) {
            (held[i] ? check : usable.contains(i) ? rest : new ArrayList<Integer>()).add(i);
        }
        if (check.isEmpty()) {
            console.println("validate skipped: too few documents per label to hold some out");
            return;
        }
        Map<String, List<String>> texts = new TreeMap<>();
        for (int i : pick(labelsOf, rest)) {
            texts.computeIfAbsent(labelsOf.get(i), l -> new ArrayList<>()).add(examples.get(i).text());
        }
        Map<String, List<Path>> none = new TreeMap<>();
        for (String label : new TreeSet<>(labelsOf)) {
            if (base == null || base.labels().stream().noneMatch(l -> l.name().equals(label)) && !label.equals(base.other())) {
                none.put(label, List.of());
            }
        }
        Taxonomy taxonomy = withExamples(base, none);
        EmbeddingClassifier classifier = new EmbeddingClassifier(taxonomy, texts);
        List<String> expected = check.stream().map(labelsOf::get).toList();
        List<String> predicted = check.parallelStream().map(i -> {
            LinearClassifier.Example e = examples.get(i);
            return classifier.classify(new ExtractedText(e.text(), e.title(), "text/plain", null, e.text().length(), true, 0))
                    .label();
        }).toList();
        Evaluation evaluation = Evaluation.of(expected, predicted);
        console.printf(Locale.ROOT, "validate %,d held out (%.0f%% of each label, seed %d), examples drawn from the other"
                + " %,d: accuracy %.4f, macro-F1 %.4f%n", check.size(), validation * 100, seed, rest.size(),
                evaluation.accuracy(), evaluation.macroF1());
    }

    /**
     * Of {@code candidates} (indexes into {@code labelsOf}), all, or per label (in name order, CSV order
     * within) at most {@code perLabel} drawn by shuffling with one {@link Random} of the seed.
     */
    private List<Integer> pick(List<String> labelsOf, List<Integer> candidates) {
        Map<String, List<Integer>> byLabel = new TreeMap<>();
        candidates.forEach(i -> byLabel.computeIfAbsent(labelsOf.get(i), l -> new ArrayList<>()).add(i));
        Random random = new Random(seed);
        List<Integer> picked = new ArrayList<>();
        for (List<Integer> items : byLabel.values()) {
            if (perLabel != null && items.size() > perLabel) {
                Collections.shuffle(items, random);
                items = new ArrayList<>(items.subList(0, perLabel));
                Collections.sort(items);
            }
            picked.addAll(items);
        }
        return picked;
    }

    /** The base taxonomy (or none) with these example files, replacing a label's own; new labels added. */
    private Taxonomy withExamples(Taxonomy base, Map<String, List<Path>> files) {
        List<LabelDefinition> result = new ArrayList<>();
        Map<String, List<Path>> left = new TreeMap<>(files);
        if (base != null) {
            for (LabelDefinition label : base.labels()) {
                List<Path> own = left.remove(label.name());
                result.add(own == null ? label : label.withExamples(own.stream().map(Path::toString).toList()));
            }
        }
        left.forEach((label, paths) -> result.add(generic(label).withExamples(paths.stream().map(Path::toString).toList())));
        return base == null ? new Taxonomy(result, "other", 0.0, 0.0)
                : new Taxonomy(result, base.other(), base.minConfidence(), base.minScore());
    }

    private LabelDefinition generic(String label) {
        try {
            return new LabelDefinition(label, label.replace('_', ' '), null, null);
        } catch (ConfigurationException e) {
            throw new ConfigurationException(labels + ": label '" + label + "' cannot be a taxonomy label: "
                    + e.getMessage(), e);
        }
    }

    /** The taxonomy as YAML, example paths relative to the output file's folder. */
    private String yaml(Taxonomy taxonomy) throws IOException {
        Path folder = out.toAbsolutePath().getParent();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("other", taxonomy.other());
        root.put("minConfidence", taxonomy.minConfidence());
        root.put("minScore", taxonomy.minScore());
        List<Map<String, Object>> list = new ArrayList<>();
        for (LabelDefinition label : taxonomy.labels()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", label.name());
            entry.put("description", label.description());
            if (!label.keywords().isEmpty()) {
                entry.put("keywords", label.keywords());
            }
            if (!label.mediaTypes().isEmpty()) {
                entry.put("mediaTypes", label.mediaTypes());
            }
            if (!label.examples().isEmpty()) {
                entry.put("examples", label.examples().stream()
                        .map(p -> folder.relativize(Path.of(p).toAbsolutePath().normalize()).toString().replace('\\', '/'))
                        .toList());
            }
            list.add(entry);
        }
        root.put("labels", list);
        return "# Written by doc-classify train --kind embedding from " + labels.getFileName() + "\n"
                + new YAMLMapper().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                        .writeValueAsString(root);
    }
}
