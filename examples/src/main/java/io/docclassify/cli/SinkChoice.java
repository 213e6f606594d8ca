package io.docclassify.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.docclassify.ConfigurationException;
import io.docclassify.DocumentClassifier;
import io.docclassify.run.RunMetrics;
import io.docclassify.sink.JdbcResultSink;
import io.docclassify.sink.JsonLinesSink;
import io.docclassify.spi.ResultSink;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongConsumer;

/** The one place the command line chooses where results go: a JSON Lines file, or the database with {@code --db}. */
final class SinkChoice {

    /**
     * An open sink, what the summary calls it, and where the input's total goes (a database keeps it for
     * {@code status}; a file has no place for it).
     */
    record Opened(ResultSink sink, String where, LongConsumer total) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            sink.close();
        }
    }

    private SinkChoice() {}

    /** Refuses outputs that do not go with the chosen sink, before anything is built or opened. */
    static void check(RunOptions options, Runner.Outputs outputs) {
        if (options.db != null && outputs.resultsNamed()) {
            throw new ConfigurationException("--db writes the results to the database and -o names a results file;"
                    + " pass one of them");
        }
        if (options.db != null && outputs.csvExport() != null) {
            throw new ConfigurationException("--export reads the results file, which --db does not write; drop --export");
        }
    }

    /** Opens the sink the options name, for a run of {@code classifier}. */
    static Opened open(RunOptions options, Runner.Outputs outputs, DocumentClassifier classifier, RunMetrics metrics,
            Map<String, String> environment) throws IOException {
        if (options.db != null) {
            JdbcResultSink sink = options.database(environment).metrics(metrics)
                    .run(classifier.engineName(), configuration(classifier)).build();
            return new Opened(sink, sink.toString(), sink::recordTotal);
        }
        JsonLinesSink.Mode mode = options.resume() ? JsonLinesSink.Mode.RESUME
                : options.overwrite ? JsonLinesSink.Mode.OVERWRITE : JsonLinesSink.Mode.CREATE;
        JsonLinesSink sink = JsonLinesSink.open(outputs.results(), mode, options.batchSize, Duration.ofSeconds(1));
        return new Opened(sink, outputs.results().toString(), total -> { });
    }

    /** What the database's {@code runs} row records about the run's setup. */
    static String configuration(DocumentClassifier classifier) {
        return JsonMapper.builder().build().createObjectNode()
                .put("classifier", classifier.classifier().id())
                .put("engine", classifier.engineName())
                .put("workers", classifier.workers())
                .put("maxConcurrent", classifier.maxConcurrent())
                .put("isolatedExtraction", classifier.isolation() != null)
                .toString();
    }
}
