package io.docclassify;

import io.docclassify.classify.EmbeddingClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.extract.TikaExtractor;
import io.docclassify.run.RunMetrics;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.DocumentProcessor;
import io.docclassify.spi.DocumentSource;
import io.docclassify.spi.Engine;
import io.docclassify.spi.EngineRun;
import io.docclassify.spi.EngineSizing;
import io.docclassify.spi.Extractor;
import io.docclassify.spi.PriorResults;
import io.docclassify.spi.ProgressListener;
import io.docclassify.spi.ResultSink;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Classifies documents: one at a time with {@link #classify(Path)}, or a whole collection with
 * {@link #run(DocumentSource)}. Build it once with {@link #builder()} and reuse it.
 *
 * <p>Thread-safe. Several runs may go on at once; {@link #stop()} asks all of them to finish the
 * documents in flight and return. {@link #close()} closes the sink it was given.
 *
 * <pre>{@code
 * try (DocumentClassifier classifier = DocumentClassifier.builder()
 *         .sink(JsonLinesSink.open(Path.of("results.jsonl"), JsonLinesSink.Mode.OVERWRITE))
 *         .build()) {
 *     RunReport report = classifier.run(DocumentSources.directory(Path.of("docs"), false));
 * }
 * }</pre>
 */
public final class DocumentClassifier implements AutoCloseable {

    private final Engine engine;
    private final EngineSizing sizing;
    private final BudgetedExtractor extractor;
    private final Classifier classifier;
    private final ExtractionLimits limits;
    private final ResultSink sink;
    private final List<ProgressListener> listeners;
    private final boolean dedup;
    private final Duration shutdownGrace;
    private final int cpuPermits;
    private final long maxBytesInFlight;
    private final RunMetrics metrics;
    private final Isolation isolation;
    private volatile boolean stopRequested;

    private DocumentClassifier(Builder builder, Engine engine, EngineSizing sizing, Extractor extractor,
            Classifier classifier) {
        this.engine = engine;
        this.sizing = sizing;
        this.classifier = classifier;
        this.limits = builder.limits;
        this.sink = builder.sink;
        this.listeners = List.copyOf(builder.listeners);
        this.dedup = builder.dedup;
        this.shutdownGrace = builder.shutdownGrace;
        this.isolation = builder.isolation;
        // The layers the pipeline sees as one extractor: time budgets around the extractor (Tika, with OCR
        // inside when asked for), or child JVMs that run that same extractor and are killed at the budgets.
        this.extractor = isolation != null
                ? new IsolatedExtractor(isolation, limits)
                : new TimeLimitedExtractor(extractor, limits.totalTimeout(), limits.noProgressTimeout());
        this.cpuPermits = builder.cpuPermits;
        this.maxBytesInFlight = builder.maxBytesInFlight;
        this.metrics = builder.metrics;
    }

    /** Starts a configuration with the defaults: local engine, one worker per core, Tika, embedding classifier. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Classifies one file, with no dedup and no sink; a file that cannot be processed gives a failed record.
     *
     * @throws InterruptedException when the calling thread is interrupted
     */
    public DocumentRecord classify(Path file) throws InterruptedException {
        return pipeline(PriorResults.NONE, false).process(DocumentRef.of(file)).orElseThrow();
    }

    /**
     * Processes one document with no dedup, no resume memory and no sink: what a cluster member runs,
     * leaving {@link DocumentProcessor#admit} to the submitting side. A bad document gives a failed record.
     *
     * @throws InterruptedException when the calling thread is interrupted
     */
    public DocumentRecord classify(DocumentRef ref) throws InterruptedException {
        return pipeline(PriorResults.NONE, false).process(ref).orElseThrow();
    }

    /**
     * Processes every document of {@code source}, writing records to the sink given to the builder
     * (if any) and telling the listeners. Returns when the source is exhausted or after {@link #stop()}.
     *
     * @throws IOException when the source or the sink fails; records accepted so far are flushed
     * @throws InterruptedException when the calling thread is interrupted
     */
    public RunReport run(DocumentSource source) throws IOException, InterruptedException {
        return execute(source, sink, new RunHandle());
    }

    /**
     * Like {@link #run(DocumentSource)}, into {@code sink}: a host may run many sources, each into its
     * own sink. The sink is flushed, not closed; with {@link io.docclassify.spi.ResultSink#priorResults()}
     * it also decides which documents an earlier run already recorded.
     */
    public RunReport run(DocumentSource source, ResultSink sink) throws IOException, InterruptedException {
        return execute(source, Objects.requireNonNull(sink, "sink"), new RunHandle());
    }

    /**
     * Like {@link #run(DocumentSource, ResultSink)}, watched and stopped through {@code handle}: its counts
     * follow this run alone, and {@link RunHandle#stop()} stops this run alone (as {@link #stop()} stops all).
     * A service runs each job this way.
     *
     * @throws IllegalStateException when {@code handle} was given to a run before
     */
    public RunReport run(DocumentSource source, ResultSink sink, RunHandle handle)
            throws IOException, InterruptedException {
        return execute(source, Objects.requireNonNull(sink, "sink"), Objects.requireNonNull(handle, "handle"));
    }

    private RunReport execute(DocumentSource source, ResultSink target, RunHandle handle)
            throws IOException, InterruptedException {
        Objects.requireNonNull(source, "source");
        handle.begin();
        RunStats stats = new RunStats();
        PriorResults prior = target == null ? PriorResults.NONE : target.priorResults();
        Pipeline pipeline = pipeline(prior, dedup);
        listeners.forEach(ProgressListener::started);
        DocumentProcessor processor = new DocumentProcessor() {
            @Override
            public Optional<DocumentRecord> process(DocumentRef ref) throws InterruptedException {
                metrics.started();
                Optional<DocumentRecord> record;
                try {
                    record = pipeline.process(ref);
                } catch (InterruptedException | RuntimeException | Error e) {
                    metrics.ended();
                    throw e;
                }
                return counted(record);
            }

            @Override
            public Optional<DocumentRecord> admit(DocumentRecord computed) {
                // Computed elsewhere (a cluster member): in flight here from now until the collector stores it.
                metrics.started();
                return counted(pipeline.admit(computed));
            }

            private Optional<DocumentRecord> counted(Optional<DocumentRecord> record) {
                if (record.isEmpty()) {
                    metrics.ended();
                    metrics.skipped();
                    stats.skipped();
                    handle.skippedOne();
                    listeners.forEach(ProgressListener::skipped);
                }
                return record;
            }
        };
        EngineRun run = new EngineRun(source, processor, record -> {
            long start = System.nanoTime();
            try {
                if (target != null) {
                    target.accept(record);
                }
            } finally {
                metrics.ended();
            }
            long sinkNanos = System.nanoTime() - start;
            stats.record(record, sinkNanos);
            handle.recorded(record);
            metrics.recorded(record, sinkNanos);
            listeners.forEach(listener -> listener.recorded(record));
        }, () -> stopRequested || handle.stopRequested(), shutdownGrace, metrics);
        try {
            engine.run(run);
        } finally {
            metrics.runEnded();
            if (target != null) {
                target.flush();
            }
        }
        RunReport report = stats.report(engine.name(), stopRequested || handle.stopRequested(), extractor.abandoned());
        listeners.forEach(listener -> listener.finished(report));
        return report;
    }

    /**
     * Asks running runs to start no new document, finish those in flight, and return. The stop is
     * final: later runs of this instance return at once, with nothing processed.
     */
    public void stop() {
        stopRequested = true;
    }

    /** The classifier this instance uses, for its id and configuration. */
    public Classifier classifier() {
        return classifier;
    }

    /** The engine this instance schedules on. */
    public String engineName() {
        return engine.name();
    }

    /** How extraction is isolated in child JVMs, or {@code null} when it runs in this JVM. */
    public Isolation isolation() {
        return isolation;
    }

    /** Documents processed at once by engines with a pool of workers, such as {@code local}. */
    public int workers() {
        return sizing.workers();
    }

    /** Documents in flight at once on engines that wait cheaply, such as {@code async}. */
    public int maxConcurrent() {
        return sizing.maxConcurrent();
    }

    /** How much the engine runs at once, in words for a summary: {@code 4 workers}, {@code 50 in flight}. */
    public String concurrency() {
        return engine.concurrency();
    }

    /** The meters this instance reports to; {@link RunMetrics#none()} without a registry. */
    public RunMetrics metrics() {
        return metrics;
    }

    private Pipeline pipeline(PriorResults prior, boolean dedupThisRun) {
        return new Pipeline(extractor, classifier, limits, prior, dedupThisRun,
                new StageGates(cpuPermits, maxBytesInFlight));
    }

    @Override
    public void close() throws IOException {
        extractor.close();
        if (sink != null) {
            sink.close();
        }
    }

    /** The names of the engines on the classpath, such as {@code [local]}. */
    public static List<String> availableEngines() {
        TreeSet<String> names = new TreeSet<>();
        ServiceLoader.load(Engine.class).forEach(engine -> names.add(engine.name()));
        return List.copyOf(names);
    }

    /**
     * Configures a {@link DocumentClassifier}; each setter checks its value, {@link #build()} the rest. A setting
     * that two methods set (the engine by name or as an instance; the meters as a registry or bound) may be given
     * once only: giving it again is refused rather than one silently overriding the other.
     */
    public static final class Builder {
        private String engineName;
        private Engine engine;
        private Integer workers;
        private Integer chunkSize;
        private Integer maxConcurrent;
        private ExtractionLimits limits = ExtractionLimits.defaults();
        private Extractor extractor;
        private Isolation isolation;
        private Classifier classifier;
        private Taxonomy taxonomy;
        private ResultSink sink;
        private final List<ProgressListener> listeners = new ArrayList<>();
        private boolean dedup = true;
        private Duration shutdownGrace = Duration.ofSeconds(30);
        private int cpuPermits = Runtime.getRuntime().availableProcessors();
        private long maxBytesInFlight = Runtime.getRuntime().maxMemory() / 4;
        private RunMetrics metrics;
        private String metricsGivenAs;

        private Builder() {}

        /** The engine, by name: {@code local} (default), {@code async}, {@code hazelcast}. */
        public Builder engine(String name) {
            Objects.requireNonNull(name, "engine");
            refuseSecondEngine(name);
            this.engineName = name;
            return this;
        }

        /**
         * An engine instance, for engines not registered with {@link ServiceLoader} or built with settings of
         * their own; {@link #workers}, {@link #chunkSize} and {@link #maxConcurrent}, when given, resize it.
         */
        public Builder engine(Engine engine) {
            Objects.requireNonNull(engine, "engine");
            refuseSecondEngine(engine.name());
            this.engine = engine;
            return this;
        }

        private void refuseSecondEngine(String next) {
            String already = engine != null ? engine.name() : engineName;
            if (already != null) {
                throw new ConfigurationException("DocumentClassifier.engine", next, "DocumentClassifier.engine was"
                        + " already set to " + already + "; set it once, by name or as an instance");
            }
        }

        /** Documents processed at once by engines with a pool of workers; default the number of cores. */
        public Builder workers(int workers) {
            EngineSizing.check("DocumentClassifier.workers", workers);
            this.workers = workers;
            return this;
        }

        /**
         * Documents per chunk; default 10. A cluster member takes a chunk at a time; the local engine's
         * workers take one document at a time and it reads the source at most 2 chunks per worker ahead.
         */
        public Builder chunkSize(int chunkSize) {
            EngineSizing.check("DocumentClassifier.chunkSize", chunkSize);
            this.chunkSize = chunkSize;
            return this;
        }

        /** Limits for the built-in extractor and the time budgets of any extractor. */
        public Builder limits(ExtractionLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** A custom extractor instead of Tika; the time budgets of {@link #limits} still apply. */
        public Builder extractor(Extractor extractor) {
            this.extractor = Objects.requireNonNull(extractor, "extractor");
            return this;
        }

        /**
         * Extracts in child JVMs (one per worker, each with its own heap) instead of in this one: a
         * parser that loops, runs out of memory or kills its JVM then fails only its own document,
         * as {@code timeout}, {@code out_of_memory} or {@code crashed}, and its child is replaced.
         * {@code null} (the default) extracts in this JVM. Runs the built-in Tika extractor only.
         */
        public Builder isolate(Isolation isolation) {
            this.isolation = isolation;
            return this;
        }

        /** Another classifier instead of the default embedding classifier, such as a {@code RulesClassifier} or a trained {@code LinearClassifier}. */
        public Builder classifier(Classifier classifier) {
            this.classifier = Objects.requireNonNull(classifier, "classifier");
            return this;
        }

        /** The taxonomy for the default embedding classifier; default {@link Taxonomy#builtIn()}. */
        public Builder taxonomy(Taxonomy taxonomy) {
            this.taxonomy = Objects.requireNonNull(taxonomy, "taxonomy");
            return this;
        }

        /** Where records go; without one, records reach only the listeners and the report. */
        public Builder sink(ResultSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** Adds a listener; listeners are told in the order they were added. */
        public Builder listener(ProgressListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Whether content seen before becomes a {@code duplicate} record instead of being processed again; default on. */
        public Builder dedup(boolean dedup) {
            this.dedup = dedup;
            return this;
        }

        /**
         * Documents in flight at once on engines that wait cheaply ({@code async}); default 50. Extraction
         * and CPU-bound classifiers are bounded separately by {@link #cpuPermits(int)}.
         */
        public Builder maxConcurrent(int maxConcurrent) {
            EngineSizing.check("DocumentClassifier.maxConcurrent", maxConcurrent);
            this.maxConcurrent = maxConcurrent;
            return this;
        }

        /**
         * Documents in a CPU-bound stage at once, on any engine: extraction, and classification unless
         * the classifier says it is not {@link Classifier#cpuBound()}; default the number of cores.
         */
        public Builder cpuPermits(int cpuPermits) {
            if (cpuPermits < 1) {
                throw new ConfigurationException("DocumentClassifier.cpuPermits", cpuPermits,
                        "DocumentClassifier.cpuPermits must be >= 1, got " + cpuPermits);
            }
            this.cpuPermits = cpuPermits;
            return this;
        }

        /**
         * Bytes of documents being extracted at once, on any engine: a file waits until its size fits
         * (a file larger than the budget runs alone); default a quarter of the maximum heap.
         */
        public Builder maxBytesInFlight(long bytes) {
            if (bytes < 1024) {
                throw new ConfigurationException("DocumentClassifier.maxBytesInFlight", bytes,
                        "DocumentClassifier.maxBytesInFlight must be >= 1024, got " + bytes
                        + "; it bounds the heap that extraction may take");
            }
            this.maxBytesInFlight = bytes;
            return this;
        }

        /** How long in-flight documents may run after {@link DocumentClassifier#stop()}; default 30 s. */
        public Builder shutdownGrace(Duration grace) {
            if (grace.isNegative()) {
                throw new ConfigurationException("DocumentClassifier.shutdownGrace", grace,
                        "DocumentClassifier.shutdownGrace must be >= 0, got " + grace);
            }
            this.shutdownGrace = grace;
            return this;
        }

        /**
         * The host's registry: documents by outcome and label, pages, bytes, stage latencies, documents in
         * flight, queue depth and worker memory are reported there (see {@link RunMetrics} for the names).
         * Default: no metrics.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            Objects.requireNonNull(registry, "registry");
            refuseSecondMetrics("meterRegistry");
            this.metrics = RunMetrics.on(registry);
            return this;
        }

        /** Like {@link #meterRegistry}, with meters already bound (share one {@link RunMetrics} per registry). */
        public Builder metrics(RunMetrics metrics) {
            Objects.requireNonNull(metrics, "metrics");
            refuseSecondMetrics("metrics");
            this.metrics = metrics;
            return this;
        }

        private void refuseSecondMetrics(String next) {
            if (metricsGivenAs != null) {
                throw new ConfigurationException("DocumentClassifier." + next, null, "DocumentClassifier." + next
                        + ": the meters were already set by DocumentClassifier." + metricsGivenAs + "; set them once");
            }
            metricsGivenAs = next;
        }

        /**
         * Builds the classifier.
         *
         * @throws ConfigurationException when the engine is not on the classpath, or settings conflict
         */
        public DocumentClassifier build() {
            if (classifier != null && taxonomy != null) {
                throw new ConfigurationException(
                        "a taxonomy configures the default embedding classifier; with a classifier of your own, pass the taxonomy to it instead");
            }
            if (extractor != null && isolation != null) {
                throw new ConfigurationException("isolation runs the built-in Tika extractor in child JVMs; a custom"
                        + " extractor runs in this JVM: drop isolate(...) or extractor(...)");
            }
            if (extractor != null && limits.ocr()) {
                throw new ConfigurationException("ExtractionLimits.ocr layers OCR around the built-in Tika extractor;"
                        + " a custom extractor does its own: turn ocr off or drop extractor(...)");
            }
            EngineSizing defaults = EngineSizing.defaults();
            EngineSizing sizing = new EngineSizing(workers != null ? workers : defaults.workers(),
                    chunkSize != null ? chunkSize : defaults.chunkSize(),
                    maxConcurrent != null ? maxConcurrent : defaults.maxConcurrent());
            boolean sized = workers != null || chunkSize != null || maxConcurrent != null;
            Engine chosen = engine == null ? findEngine(engineName != null ? engineName : "local").sized(sizing)
                    : sized ? engine.sized(sizing) : engine;
            if (extractor == null && classifier == null) {
                // Tika's parser registry loads on a spare core while the embedding model loads.
                TikaExtractor.preloadInBackground();
            }
            Classifier chosenClassifier = classifier != null
                    ? classifier
                    : new EmbeddingClassifier(taxonomy != null ? taxonomy : Taxonomy.builtIn());
            // Built also when isolated: a missing Tesseract or language pack fails here, before any child starts.
            Extractor chosenExtractor = extractor != null ? extractor : TikaExtractor.builtIn(limits);
            if (metrics == null) {
                metrics = RunMetrics.none();
            }
            return new DocumentClassifier(this, chosen, sizing, chosenExtractor, chosenClassifier);
        }

        private static Engine findEngine(String name) {
            for (Engine candidate : ServiceLoader.load(Engine.class)) {
                if (candidate.name().equals(name)) {
                    return candidate;
                }
            }
            throw new ConfigurationException("engine '" + name + "' is not available; available: "
                    + availableEngines() + ". Put the doc-classify-engine-" + name + " module on the classpath");
        }
    }
}
