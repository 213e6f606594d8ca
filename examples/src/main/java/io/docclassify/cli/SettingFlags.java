package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one table from the library's setting keys to the command line's flags: the library's messages name
 * settings as its API spells them ({@code ExtractionLimits.maxBytes must be >= 1}), and the command line
 * tells its user the flag that sets them ({@code --max-file-size must be >= 1}).
 */
final class SettingFlags {

    /** Each setting key and the flag that sets it. */
    static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("ExtractionLimits.maxBytes", "--max-file-size"),
            Map.entry("ExtractionLimits.textBudget", "--text-budget"),
            Map.entry("ExtractionLimits.maxChars", "--max-chars"),
            Map.entry("ExtractionLimits.totalTimeout", "--timeout"),
            Map.entry("ExtractionLimits.noProgressTimeout", "--no-progress-timeout"),
            Map.entry("ExtractionLimits.ocr", "--ocr"),
            Map.entry("ExtractionLimits.ocrLanguages", "--ocr-lang"),
            Map.entry("ExtractionLimits.split", "--split"),
            Map.entry("Isolation.childHeap", "--child-heap"),
            Map.entry("Isolation.recycleAfter", "--recycle-after"),
            Map.entry("DocumentClassifier.isolate", "--isolate"),
            Map.entry("DocumentClassifier.engine", "--engine"),
            Map.entry("DocumentClassifier.workers", "--workers"),
            Map.entry("DocumentClassifier.chunkSize", "--chunk-size"),
            Map.entry("DocumentClassifier.maxConcurrent", "--max-concurrent"),
            Map.entry("DocumentSources.followLinks", "--follow-links"),
            Map.entry("JsonLinesSink.Mode.RESUME", "--resume"),
            Map.entry("JsonLinesSink.Mode.OVERWRITE", "--overwrite"),
            Map.entry("JsonLinesSink.batchSize", "--batch-size"),
            Map.entry("JdbcResultSink.batchSize", "--batch-size"),
            Map.entry("JdbcResultSink.outageLimit", "--db-outage-limit"),
            Map.entry("JdbcResultSink.resume", "--resume"),
            Map.entry("JdbcResultSink.continueRun", "--resume RUN_ID"),
            Map.entry("JdbcResultSink.url", "--db"),
            Map.entry("JdbcResultSink.user", "--db-user"),
            Map.entry("JdbcResultSink.password", "--db-password"),
            Map.entry("LlmClassifier.urls", "--llm-url"),
            Map.entry("LlmClassifier.model", "--llm-model"),
            Map.entry("LlmClassifier.textBudget", "--llm-text-budget"),
            Map.entry("LlmClassifier.timeout", "--llm-timeout"),
            Map.entry("LlmClassifier.retries", "--llm-retries"),
            Map.entry("LlmClassifier.maxConcurrent", "--llm-max-concurrent"),
            Map.entry("CascadeClassifier.escalateBelow", "--escalate-below"),
            Map.entry("TrainingDocuments.labelColumn", "--label-column"),
            Map.entry("StatusServer.port", "--status-port"),
            Map.entry("EngineSettings.members", "--members"),
            Map.entry("EngineSettings.clusterName", "--cluster-name"),
            Map.entry("EngineSettings.shipContentLimit", "--ship-content"),
            Map.entry("NodeSettings.members", "--members"),
            Map.entry("NodeSettings.clusterName", "--cluster-name"),
            Map.entry("NodeSettings.port", "--port"),
            Map.entry("NodeSettings.workers", "--workers"));

    /** Any key of the table, longest first, not followed by more of an identifier. */
    private static final Pattern KEYS = Pattern.compile("(?:" + String.join("|", FLAGS.keySet().stream()
            .sorted(Comparator.comparingInt(String::length).reversed()).map(Pattern::quote).toList())
            + ")(?![A-Za-z0-9_])");

    private SettingFlags() {}

    /** {@code message} with every setting key of the table replaced by its flag. */
    static String translate(String message) {
        if (message == null) {
            return null;
        }
        Matcher key = KEYS.matcher(message);
        return key.replaceAll(m -> Matcher.quoteReplacement(FLAGS.get(m.group())));
    }

    /** The exception's message as the command line says it. */
    static String message(ConfigurationException e) {
        return translate(e.getMessage());
    }
}
