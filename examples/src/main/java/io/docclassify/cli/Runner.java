package io.docclassify.cli;

import io.docclassify.DocumentClassifier;
import io.docclassify.RunReport;
import io.docclassify.concurrent.NamedThreads;
import io.docclassify.run.LoggingProgressListener;
import io.docclassify.run.RunMetrics;
import io.docclassify.run.RunMonitor;
import io.docclassify.run.StatusServer;
import io.docclassify.spi.DocumentSource;
import io.docclassify.spi.ResultSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/** Runs one classification job for a command: build, open the output, run, report. */
final class Runner {

    private Runner() {}

    /**
     * Where a command's results go.
     *
     * @param resultsNamed whether the user named the results file; with {@code --db} that is refused, since
     *     the database holds the results and no JSON Lines file is written
     */
    record Outputs(Path results, boolean resultsNamed, Path summaryJson, Path csvExport) {}

    @SuppressWarnings("try") // the GC meters are a resource only so that their listener ends with the run
    static int run(RunOptions options, Outputs outputs, PrintWriter out, PrintWriter err) throws Exception {
        Logging.configure(options.verbose.length);
        DocumentSource source = options.source();
        boolean bar = !options.noProgress && Terminal.isInteractive();
        ProgressBarListener progressBar = bar ? new ProgressBarListener() : null;
        LoggingProgressListener progressLog = bar ? null : new LoggingProgressListener(Duration.ofSeconds(10));
        DocumentClassifier.Builder builder = options.builder();
        builder.listener(bar ? progressBar : progressLog);
        InetSocketAddress statusAddress = options.statusAddress();
        // Always on: the alerts reach the log and the summary even when no status page is served.
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RunMetrics metrics = RunMetrics.on(registry);
        RunMonitor monitor = new RunMonitor(metrics, options.alerts(), options.engine,
                options.workers != null ? options.workers : Runtime.getRuntime().availableProcessors());
        builder.metrics(metrics).listener(monitor);
        // Build before opening the output, so that a configuration mistake leaves an existing file alone.
        SinkChoice.check(options, outputs);
        try (DocumentClassifier classifier = builder.build();
                JvmGcMetrics gc = bindJvmMetrics(registry);
                SinkChoice.Opened output = SinkChoice.open(options, outputs, classifier, metrics, System.getenv());
                StatusServer status = statusAddress == null ? null : StatusServer.start(statusAddress, registry, monitor)) {
            ResultSink sink = output.sink();
            if (status != null) {
                err.println("status page: " + status.url());
                err.flush();
            }
            LongConsumer barOrLog = bar ? progressBar::total : progressLog::total;
            LongConsumer showTotal = total -> {
                barOrLog.accept(total);
                monitor.total(total);
            };
            countInBackground(source, showTotal.andThen(output.total()));
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
                out.print(SummaryText.format(report, classifier.concurrency(), output.where(), monitor.alertsRaised()));
                out.print(SummaryText.cascade(classifier.classifier()));
                if (options.hazelcast != null) {
                    HazelcastCli.printPerMember(options.hazelcast, out);
                }
                out.flush();
                if (outputs.summaryJson() != null) {
                    SummaryJson.write(report, classifier, outputs.summaryJson(), monitor.alertsRaised());
                }
                sink.flush();
                if (outputs.csvExport() != null) {
                    CsvExport.write(outputs.results(), outputs.csvExport());
                    out.println("exported     " + outputs.csvExport());
                }
                out.flush();
                return report.stopped() ? Main.STOPPED : 0;
            } catch (IOException e) {
                if (options.hazelcast != null && StartFailure.of(e).exitCode() == StartFailure.MEMBERS) {
                    throw new StartFailure(StartFailure.MEMBERS, "no member of cluster '" + options.clusterName
                            + "' answered at " + String.join(",", options.members) + "; start members with"
                            + " 'doc-classify node', or check --members and --cluster-name", e);
                }
                err.println("doc-classify: the run stopped because results could not be stored: "
                        + SettingFlags.translate(e.getMessage())
                        + "; fix the cause and rerun with --resume");
                return StartFailure.STORE;
            } finally {
                shutdown.runFinished();
            }
        }
    }

    /** JVM memory, GC, threads, CPU, class loading and uptime on {@code registry}; close the result to stop GC events. */
    static JvmGcMetrics bindJvmMetrics(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return gc;
    }

    /** Counts the documents in a second, lazy pass, so progress can show an ETA; the run does not wait for it. */
    static void countInBackground(DocumentSource source, LongConsumer total) {
        Thread counter = NamedThreads.daemon("docclassify-count").newThread(() -> {
            try (Stream<?> refs = source.open()) {
                total.accept(refs.count());
            } catch (IOException | RuntimeException e) {
                // Without a total there is no ETA; the run itself reports any real problem.
            }
        });
        counter.setPriority(Thread.MIN_PRIORITY);
        counter.start();
    }
}
