package io.docclassify.cli;

import io.docclassify.DocumentClassifier;
import io.docclassify.RunReport;
import io.docclassify.run.LoggingProgressListener;
import io.docclassify.sink.JsonLinesSink;
import io.docclassify.spi.DocumentSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/** Runs one classification job for a command: build, open the output, run, report. */
final class Runner {

    private Runner() {}

    /** Where a command's results go. */
    record Outputs(Path results, Path summaryJson, Path csvExport) {}

    static int run(RunOptions options, Outputs outputs, PrintWriter out, PrintWriter err) throws Exception {
        Logging.configure(options.verbose.length);
        DocumentSource source = options.source();
        JsonLinesSink.Mode mode = options.resume ? JsonLinesSink.Mode.RESUME
                : options.overwrite ? JsonLinesSink.Mode.OVERWRITE : JsonLinesSink.Mode.CREATE;
        boolean bar = !options.noProgress && Terminal.isInteractive();
        ProgressBarListener progressBar = bar ? new ProgressBarListener() : null;
        LoggingProgressListener progressLog = bar ? null : new LoggingProgressListener(Duration.ofSeconds(10));
        DocumentClassifier.Builder builder = options.builder();
        builder.listener(bar ? progressBar : progressLog);
        // Build before opening the output, so that a configuration mistake leaves an existing file alone.
        try (DocumentClassifier classifier = builder.build();
                JsonLinesSink sink = JsonLinesSink.open(outputs.results(), mode, options.batchSize, Duration.ofSeconds(1))) {
            countInBackground(source, bar ? progressBar::total : progressLog::total);
            Shutdown shutdown = Shutdown.install(classifier, 60);
            try {
                RunReport report;
                try {
                    report = classifier.run(source, sink);
                } finally {
                    if (progressBar != null) {
                        progressBar.close();
                    }
                }
                out.print(SummaryText.format(report, classifier.workers(), outputs.results()));
                out.flush();
                if (outputs.summaryJson() != null) {
                    SummaryJson.write(report, classifier, outputs.summaryJson());
                }
                sink.flush();
                if (outputs.csvExport() != null) {
                    CsvExport.write(outputs.results(), outputs.csvExport());
                    out.println("exported     " + outputs.csvExport());
                }
                out.flush();
                return report.stopped() ? Main.STOPPED : 0;
            } catch (IOException e) {
                err.println("doc-classify: the run stopped because results could not be stored: " + e.getMessage()
                        + "; fix the cause and rerun with --resume");
                return 1;
            } finally {
                shutdown.runFinished();
            }
        }
    }

    /** Counts the documents in a second, lazy pass, so progress can show an ETA; the run does not wait for it. */
    private static void countInBackground(DocumentSource source, LongConsumer total) {
        Thread counter = new Thread(() -> {
            try (Stream<?> refs = source.open()) {
                total.accept(refs.count());
            } catch (IOException | RuntimeException e) {
                // Without a total there is no ETA; the run itself reports any real problem.
            }
        }, "docclassify-count");
        counter.setDaemon(true);
        counter.setPriority(Thread.MIN_PRIORITY);
        counter.start();
    }
}
