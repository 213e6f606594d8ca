package io.docclassify.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.docclassify.ConfigurationException;
import io.docclassify.DocumentClassifier;
import io.docclassify.DocumentRecord;
import io.docclassify.DocumentRef;
import io.docclassify.Outcome;
import io.docclassify.RunReport;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.DocumentSource;
import io.docclassify.spi.ResultSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code doc-classify eval}: classifies the documents of a labels CSV with the normal pipeline and
 * scores the labels against the CSV's.
 *
 * <p>A failed document counts as wrong (predicted {@code failed}); a duplicate gets the label of the
 * record it duplicates. Records are kept in memory, not written.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score a classifier on a labels CSV: accuracy, macro-F1, per-label precision/recall/F1,"
                + " confusion matrix, documents/second.")
final class EvalCommand implements Callable<Integer> {

    /** The label a failed document is counted as. */
    static final String FAILED = "failed";

    @Option(names = "--labels", required = true, paramLabel = "CSV", description = "The labelled test documents.")
    Path labels;

    @Option(names = "--label-column", paramLabel = "NAME", defaultValue = "label",
            description = "The CSV column holding the expected labels. Default: ${DEFAULT-VALUE}.")
    String labelColumn;

    @Option(names = "--model", paramLabel = "FILE", description = "A model trained with 'doc-classify train'.")
    Path model;

    @Option(names = "--classifier", paramLabel = "NAME",
            description = "Classifier: embedding, rules, linear (needs --model), ollama, openai, cascade."
                    + " Default: linear with --model, else embedding.")
    String classifier;

    @Option(names = "--taxonomy", paramLabel = "FILE", description = "Taxonomy for the rules or embedding classifier.")
    Path taxonomy;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Option(names = "--thresholds", paramLabel = "T[,T...]", split = ",",
            description = "Confidence thresholds to report for a cascade: per threshold, the share of documents this"
                    + " classifier decides on its own (confidence >= T) and its accuracy on them.")
    List<Double> thresholds;

    @Mixin
    LlmOptions llm = new LlmOptions();

    @Option(names = {"-w", "--workers"}, paramLabel = "N", description = "Documents processed at once. Default: the number of cores.")
    Integer workers;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (workers != null && workers < 1) {
            throw new ConfigurationException("--workers must be >= 1, got " + workers);
        }
        DocumentSource manifest = DocumentSources.manifest(labels, labelColumn);
        // Rows with an empty label (a review CSV's rows nobody labelled) are neither classified nor scored.
        DocumentSource source = () -> manifest.open().filter(ref -> ref.label().isPresent());
        int[] unlabelled = new int[1];
        Map<String, String> expectedByPath = expected(manifest, unlabelled);
        DocumentClassifier.Builder builder = DocumentClassifier.builder().engine("local")
                .classifier(ClassifierChoice.create(classifier, taxonomy, model, llm, System.getenv()));
        if (thresholds != null && thresholds.stream().anyMatch(t -> !(t >= 0 && t <= 1))) {
            throw new ConfigurationException("--thresholds must be numbers in [0, 1], got " + thresholds);
        }
        if (workers != null) {
            builder.workers(workers);
        }
        MemorySink sink = new MemorySink();
        RunReport report;
        String classifierId;
        int usedWorkers;
        try (DocumentClassifier documents = builder.build()) {
            classifierId = documents.classifier().id();
            usedWorkers = documents.workers();
            report = documents.run(source, sink);
        }
        List<String> expected = new ArrayList<>();
        List<String> predicted = new ArrayList<>();
        List<CascadeReport.Scored> scored = new ArrayList<>();
        Map<String, String> labelBySha = new HashMap<>();
        Map<String, Outcome.Classified> resultBySha = new HashMap<>();
        for (DocumentRecord record : sink.records) {
            if (record.outcome() instanceof Outcome.Classified c && record.sha256() != null) {
                labelBySha.putIfAbsent(record.sha256(), c.label());
                resultBySha.putIfAbsent(record.sha256(), c);
            }
        }
        for (DocumentRecord record : sink.records) {
            String want = expectedByPath.get(record.path());
            if (want == null) {
                continue;
            }
            expected.add(want);
            predicted.add(switch (record.outcome()) {
                case Outcome.Classified c -> c.label();
                case Outcome.Failed f -> FAILED;
                case Outcome.Duplicate d -> labelBySha.getOrDefault(d.of(), FAILED);
            });
            Outcome.Classified result = switch (record.outcome()) {
                case Outcome.Classified c -> c;
                case Outcome.Duplicate d -> resultBySha.get(d.of());
                case Outcome.Failed f -> null;
            };
            if (result != null) {
                // A duplicate is decided as its original was: a cascade never asks about the same content twice.
                scored.add(new CascadeReport.Scored(want, result.label(), result.confidence(), result.decidedBy()));
            } else {
                // A failed document is never decided with confidence: it counts as escalated and wrong.
                scored.add(new CascadeReport.Scored(want, predicted.getLast(), -1, null));
            }
        }
        if (expected.isEmpty()) {
            throw new ConfigurationException(labels + " has no labelled document to score");
        }
        Evaluation evaluation = Evaluation.of(expected, predicted);
        double seconds = report.elapsed().toNanos() / 1e9;
        double perSecond = seconds > 0 ? report.documents() / seconds : 0;
        PrintWriter console = spec.commandLine().getOut();
        console.printf(Locale.ROOT, "classifier   %s%n", classifierId);
        if (unlabelled[0] > 0) {
            console.printf(Locale.ROOT, "skipped      %,d rows with an empty '%s' column (not labelled yet)%n", unlabelled[0],
                    labelColumn);
        }
        console.printf(Locale.ROOT, "documents    %,d in %.1f s: %.1f documents/second (local engine, %d workers);"
                + " %,d failed, %,d duplicates%n", report.documents(), seconds, perSecond, usedWorkers, report.failed(),
                report.duplicates());
        console.print(evaluation.table());
        Map<String, int[]> stages = CascadeReport.byStage(scored);
        if (!stages.isEmpty()) {
            console.print(CascadeReport.stageTable(stages, scored.size()));
        }
        List<CascadeReport.Row> rows = thresholds == null ? List.of() : CascadeReport.rows(scored, thresholds);
        if (!rows.isEmpty()) {
            console.print(CascadeReport.table(rows));
        }
        console.flush();
        if (json != null) {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("labels", labels.toString());
            figures.put("classifier", classifierId);
            figures.putAll(evaluation.json());
            figures.put("failed", report.failed());
            figures.put("duplicates", report.duplicates());
            figures.put("seconds", Evaluation.round(seconds));
            figures.put("documentsPerSecond", Math.round(perSecond * 10) / 10.0);
            figures.put("workers", usedWorkers);
            if (!rows.isEmpty()) {
                figures.put("thresholds", CascadeReport.json(rows));
            }
            Path parent = json.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), figures);
            console.println("wrote        " + json);
        }
        return 0;
    }

    /**
     * Expected label by the path each record will carry; counts the rows without a label into
     * {@code unlabelled[0]}; fails when no row has a label.
     */
    private Map<String, String> expected(DocumentSource source, int[] unlabelled) throws IOException {
        Map<String, String> byPath = new HashMap<>();
        try (Stream<DocumentRef> refs = source.open()) {
            refs.forEach(ref -> ref.label().ifPresentOrElse(label -> byPath.put(ref.path().toString(), label),
                    () -> unlabelled[0]++));
        }
        if (byPath.isEmpty()) {
            throw new ConfigurationException(labels + " has no labels in a column '" + labelColumn
                    + "'; check its header or pass --label-column");
        }
        return byPath;
    }

    /** Keeps the records in memory. */
    private static final class MemorySink implements ResultSink {
        final List<DocumentRecord> records = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void accept(DocumentRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
