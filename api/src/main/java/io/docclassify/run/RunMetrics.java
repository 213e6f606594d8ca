package io.docclassify.run;

import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The meters of doc-classify on a host's {@link MeterRegistry}: one place that names them, so engines,
 * sinks and classifiers report under the same names and the status page finds them.
 *
 * <p>Every name starts with {@code docclassify.} (Prometheus: {@code docclassify_}). The run's own
 * meters are fed by {@code DocumentClassifier}; an engine reports what only it knows (queue depth,
 * documents in flight on members, per-member counts) by giving a supplier to {@link #queueDepth} or
 * {@link #inFlight}, and any component may add {@link #counter}s, {@link #timer}s and {@link #gauge}s.
 * A gauge of the run (queue depth, in flight) is registered once per registry and reads the supplier
 * set for the current run, so repeated runs in one JVM do not leave stale gauges behind.
 *
 * <p>Thread-safe. {@link #none()} records nothing and costs next to nothing.
 */
public final class RunMetrics {

    /** Prefix of every meter name. */
    public static final String PREFIX = "docclassify.";
    /** Counter of recorded documents, tags {@code outcome} and, for classified ones, {@code label}. */
    public static final String DOCUMENTS = PREFIX + "documents";
    /** Counter of failed documents, tags {@code stage} and {@code reason}. */
    public static final String FAILURES = PREFIX + "failures";
    /** Counter of documents skipped on resume. */
    public static final String SKIPPED = PREFIX + "skipped";
    /** Counter of pages extracted. */
    public static final String PAGES = PREFIX + "pages";
    /** Counter of pages (and images) whose text came from OCR. */
    public static final String OCR_PAGES = PREFIX + "ocr.pages";
    /** Counter of bytes read. */
    public static final String BYTES = PREFIX + "bytes";
    /** Timer per pipeline stage (tag {@code stage}: hash, extract, classify, sink), with a histogram. */
    public static final String STAGE = PREFIX + "stage.duration";
    /** Gauge of documents started and not yet recorded. */
    public static final String IN_FLIGHT = PREFIX + "inflight";
    /** Gauge of documents handed to the engine and waiting for a worker. */
    public static final String QUEUE_DEPTH = PREFIX + "queue.depth";
    /** Summary of the records a sink writes at once. */
    public static final String SINK_BATCH = PREFIX + "sink.batch.size";
    /** Timer of one batch write of a sink, retries included. */
    public static final String SINK_WRITE = PREFIX + "sink.write";
    /** Gauge of heap bytes used per worker process, tag {@code member}; the memory alert reads its maximum. */
    public static final String WORKER_MEMORY = PREFIX + "worker.memory.used";
    /** Counter of documents recorded per member or worker, tag {@code member}; the status page shows them. */
    public static final String MEMBER_DOCUMENTS = PREFIX + "member.documents";

    private static final RunMetrics NONE = new RunMetrics(new CompositeMeterRegistry(), false);
    /*
     * One instance per registry, since a gauge is registered once per name and reads the instance it was
     * registered with. The instance refers to its registry, so an entry lives as long as the JVM: registries
     * are few and long-lived, and the gauges hold their instance only weakly, so this map is what keeps them
     * reporting.
     */
    private static final Map<MeterRegistry, RunMetrics> BY_REGISTRY = new WeakHashMap<>();

    private final MeterRegistry registry;
    private final AtomicInteger ownInFlight = new AtomicInteger();
    private volatile Supplier<? extends Number> inFlight = ownInFlight::get;
    private volatile Supplier<? extends Number> queueDepth = () -> 0;
    private volatile boolean countByThread = true;
    private final Counter skipped;
    private final Counter pages;
    private final Counter ocrPages;
    private final Counter bytes;

    private RunMetrics(MeterRegistry registry, boolean bindGauges) {
        this.registry = registry;
        if (bindGauges) {
            Gauge.builder(IN_FLIGHT, this, m -> m.inFlight.get().doubleValue())
                    .description("documents started and not yet recorded").register(registry);
            Gauge.builder(QUEUE_DEPTH, this, m -> m.queueDepth.get().doubleValue())
                    .description("documents waiting for a worker").register(registry);
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            Gauge.builder(WORKER_MEMORY, memory, m -> m.getHeapMemoryUsage().getUsed()).baseUnit("bytes")
                    .tag("member", "local").description("heap used by this worker process").register(registry);
        }
        this.skipped = Counter.builder(SKIPPED).description("documents skipped because an earlier run recorded them")
                .register(registry);
        this.pages = Counter.builder(PAGES).description("pages extracted").register(registry);
        this.ocrPages = Counter.builder(OCR_PAGES)
                .description("pages and images read by OCR (Tesseract), a part of the pages extracted").register(registry);
        this.bytes = Counter.builder(BYTES).baseUnit("bytes").description("bytes of the documents recorded")
                .register(registry);
    }

    /** The meters on {@code registry}: the same instance for the same registry, since its gauges are registered once. */
    public static RunMetrics on(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        synchronized (BY_REGISTRY) {
            return BY_REGISTRY.computeIfAbsent(registry, r -> new RunMetrics(r, true));
        }
    }

    /** Meters that go nowhere. */
    public static RunMetrics none() {
        return NONE;
    }

    /** The registry the meters live on, for meters of a component's own. */
    public MeterRegistry registry() {
        return registry;
    }

    /** A counter named {@code docclassify.<name>} with tags as key, value pairs, such as {@code counter("llm.calls", "backend", "ollama")}. */
    public Counter counter(String name, String... tags) {
        return Counter.builder(PREFIX + name).tags(tags).description(help(name)).register(registry);
    }

    /** A timer named {@code docclassify.<name>} with a histogram from 1 ms to 10 minutes. */
    public Timer timer(String name, String... tags) {
        return Timer.builder(PREFIX + name).tags(tags).description(help(name)).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    /**
     * A gauge named {@code docclassify.<name>} reading {@code value}. The registry holds {@code value} weakly,
     * as Micrometer does, so keep a reference to it as long as the gauge should report.
     */
    public <T> void gauge(String name, T value, ToDoubleFunction<T> reader, String... tags) {
        Gauge.builder(PREFIX + name, value, reader).tags(tags).description(help(name)).register(registry);
    }

    /** The engine's count of documents in flight for the current run, instead of the count this class keeps. */
    public void inFlight(Supplier<? extends Number> supplier) {
        this.inFlight = Objects.requireNonNull(supplier, "supplier");
    }

    /** The engine's queue depth for the current run: documents handed over and waiting for a worker. */
    public void queueDepth(Supplier<? extends Number> supplier) {
        this.queueDepth = Objects.requireNonNull(supplier, "supplier");
    }

    /**
     * For engines whose records reach the collector on threads that are not the workers (a cluster): this run's
     * {@link #MEMBER_DOCUMENTS} counts come from the engine, tagged with the member, not from the collecting thread.
     */
    public void membersCountedByEngine() {
        countByThread = false;
    }

    /** Resets what an engine set for the run, so an idle classifier reports nothing in flight or waiting. */
    public void runEnded() {
        inFlight = ownInFlight::get;
        queueDepth = () -> 0;
        countByThread = true;
    }

    /** A document entered the pipeline; engines that schedule {@code DocumentProcessor} calls need not call it. */
    public void started() {
        ownInFlight.incrementAndGet();
    }

    /** A document left the pipeline: recorded or skipped. */
    public void ended() {
        ownInFlight.decrementAndGet();
    }

    /** Counts a skipped (resumed) document. */
    public void skipped() {
        skipped.increment();
    }

    /** Counts a recorded document: outcome, label or failure, pages, bytes, stage timings and the sink's time. */
    public void recorded(DocumentRecord record, long sinkNanos) {
        switch (record.outcome()) {
            case Outcome.Classified c -> documents("classified", c.label()).increment();
            case Outcome.Failed f -> {
                documents("failed", "").increment();
                Counter.builder(FAILURES).tags("stage", f.stage().code(), "reason", f.reason())
                        .description("documents that failed, by stage and reason code").register(registry).increment();
            }
            case Outcome.Duplicate d -> documents("duplicate", "").increment();
        }
        if (record.pages() != null) {
            pages.increment(record.pages());
        }
        ocrPages.increment(record.ocrPages());
        if (record.bytes() != null) {
            bytes.increment(record.bytes());
        }
        record.timingsMs().forEach((stage, millis) -> stageTimer(stage).record(millis, TimeUnit.MILLISECONDS));
        stageTimer("sink").record(sinkNanos, TimeUnit.NANOSECONDS);
        if (countByThread) {
            String worker = Thread.currentThread().isVirtual() ? "virtual" : Thread.currentThread().getName();
            Counter.builder(MEMBER_DOCUMENTS).tags(Tags.of("member", worker))
                    .description("documents recorded, by the worker thread or cluster member that processed them")
                    .register(registry).increment();
        }
    }

    private Counter documents(String outcome, String label) {
        return Counter.builder(DOCUMENTS).tags("outcome", outcome, "label", label)
                .description("documents recorded, by outcome and, for classified ones, label").register(registry);
    }

    /** The HELP text of a component's own meter: a Prometheus scrape shows every meter with one. */
    private static String help(String name) {
        return "doc-classify " + name.replace('.', ' ');
    }

    /** The timer of one pipeline stage. */
    public Timer stageTimer(String stage) {
        return Timer.builder(STAGE).tag("stage", stage).description("time one document spent in a pipeline stage")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
    }

    /** Records one batch written by a sink: how many records, and how long the write took. */
    public void sinkBatch(String sink, int records, long nanos) {
        DistributionSummary.builder(SINK_BATCH).tag("sink", sink).description("records a sink wrote in one batch")
                .register(registry).record(records);
        Timer.builder(SINK_WRITE).tag("sink", sink).description("time a sink took to write one batch, retries included")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }
}
