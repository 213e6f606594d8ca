package io.docclassify.run;

import io.docclassify.concurrent.NamedThreads;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.RunReport;
import io.docclassify.spi.ProgressListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live state of a run for people watching it: progress, rates, ETA, throughput over time, counts by
 * outcome, label and failure reason, the latest failures, per-worker activity, and alerts.
 *
 * <p>Add it to the classifier as a listener; {@link StatusServer} serves its {@link #snapshot()} as JSON.
 * Alerts ({@link AlertThresholds}) are checked every second while the run goes and once at its end; each
 * alert that starts to hold is logged as a warning, and {@link #alertsRaised()} lists those that held at
 * any time, for the final summary. Engine-specific figures (queue depth, in flight, worker memory, pool
 * use, per-member counts) are read from the meters named in {@link RunMetrics}, so any engine that reports
 * them there shows up.
 *
 * <p>Thread-safe; one instance watches one run at a time.
 */
public final class RunMonitor implements ProgressListener {

    private static final Logger LOG = LoggerFactory.getLogger(RunMonitor.class);
    private static final int RECENT_FAILURES = 20;
    private static final int MAX_SAMPLES = 600;

    /**
     * One alert condition as last checked.
     *
     * @param name {@code queue_depth}, {@code failure_rate}, {@code db_connections} or {@code worker_memory}
     * @param active whether it holds now
     * @param raised whether it held at any time during the run
     * @param value the current figure (a share for rates, a count or bytes otherwise)
     * @param peak the highest figure seen while it held, or the current one if it never did
     * @param threshold the configured limit
     * @param message what the figure means, for people
     */
    public record Alert(String name, boolean active, boolean raised, double value, double peak, double threshold,
            String message) {}

    /** A failed document, as the page lists it. */
    private record FailureLine(String path, String stage, String reason, String message, Instant at) {}

    private final RunMetrics metrics;
    private final AlertThresholds thresholds;
    private final String engine;
    private final int workers;
    private final AtomicLong total = new AtomicLong(-1);
    private final LongAdder classified = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder pages = new LongAdder();
    private final LongAdder ocrPages = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final Map<String, LongAdder> byLabel = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byReason = new ConcurrentHashMap<>();
    private final Deque<FailureLine> recentFailures = new ArrayDeque<>();
    /** Guards the fields below. */
    private final Object lock = new Object();
    private final List<double[]> samples = new ArrayList<>();
    private double sampleEverySeconds = 1;
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private String state = "waiting";
    private Instant startedAt;
    private long startNanos;
    private long endNanos;
    private ScheduledExecutorService ticker;

    /**
     * A monitor reading engine figures from {@code metrics} (use {@link RunMetrics#on} with the registry given to
     * the classifier), with these thresholds.
     */
    public RunMonitor(RunMetrics metrics, AlertThresholds thresholds, String engine, int workers) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.workers = workers;
    }

    /** Sets the number of documents the run will see, once known, for progress and the ETA. */
    public void total(long documents) {
        total.set(documents);
    }

    @Override
    public void started() {
        synchronized (lock) {
            state = "running";
            for (LongAdder counter : List.of(classified, failed, duplicates, skipped, pages, ocrPages, bytes)) {
                counter.reset();
            }
            byLabel.clear();
            byReason.clear();
            alerts.clear();
            sampleEverySeconds = 1;
            startedAt = Instant.now();
            startNanos = System.nanoTime();
            samples.clear();
            samples.add(new double[] {0, 0});
            ticker = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("docclassify-monitor"));
            ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void recorded(DocumentRecord record) {
        switch (record.outcome()) {
            case Outcome.Classified c -> {
                classified.increment();
                byLabel.computeIfAbsent(c.label(), k -> new LongAdder()).increment();
            }
            case Outcome.Failed f -> {
                failed.increment();
                byReason.computeIfAbsent(f.stage().code() + "/" + f.reason(), k -> new LongAdder()).increment();
                synchronized (recentFailures) {
                    if (recentFailures.size() == RECENT_FAILURES) {
                        recentFailures.removeLast();
                    }
                    String message = f.message() == null ? "" : f.message();
                    recentFailures.addFirst(new FailureLine(record.path(), f.stage().code(), f.reason(),
                            message.length() > 300 ? message.substring(0, 300) + "..." : message, Instant.now()));
                }
            }
            case Outcome.Duplicate d -> duplicates.increment();
        }
        if (record.pages() != null) {
            pages.add(record.pages());
        }
        ocrPages.add(record.ocrPages());
        if (record.bytes() != null) {
            bytes.add(record.bytes());
        }
    }

    @Override
    public void skipped() {
        skipped.increment();
    }

    @Override
    public void finished(RunReport report) {
        ScheduledExecutorService stopping;
        synchronized (lock) {
            stopping = ticker;
            ticker = null;
        }
        if (stopping != null) {
            stopping.shutdownNow();
        }
        tick();
        long done = done();
        synchronized (lock) {
            endNanos = System.nanoTime();
            state = report.stopped() ? "stopped" : "finished";
            // The end is always a point of the history, so a run shorter than a sample interval still has a chart.
            double elapsed = (endNanos - startNanos) / 1e9;
            if (elapsed > samples.getLast()[0]) {
                samples.add(new double[] {elapsed, done});
            }
        }
        List<String> raised = alertsRaised();
        if (!raised.isEmpty()) {
            LOG.warn("Alerts during the run: {}", String.join("; ", raised));
        }
    }

    /** Samples throughput and checks the alerts; the monitor's timer calls it every second while a run goes. */
    void tick() {
        double elapsed;
        long done = done();
        synchronized (lock) {
            if (startedAt == null) {
                return;
            }
            elapsed = (System.nanoTime() - startNanos) / 1e9;
            if (elapsed - samples.getLast()[0] >= sampleEverySeconds) {
                samples.add(new double[] {elapsed, done});
                if (samples.size() > MAX_SAMPLES) {
                    thinSamples();
                }
            }
        }
        checkAlerts();
    }

    /** Halves the resolution of the throughput history, so a week-long run keeps a bounded one. */
    private void thinSamples() {
        List<double[]> kept = new ArrayList<>();
        for (int i = 0; i < samples.size(); i += 2) {
            kept.add(samples.get(i));
        }
        kept.add(samples.getLast());
        samples.clear();
        samples.addAll(kept);
        sampleEverySeconds *= 2;
    }

    private void checkAlerts() {
        long recorded = classified.sum() + failed.sum() + duplicates.sum();
        double failureRate = recorded == 0 ? 0 : failed.sum() / (double) recorded;
        double queue = sum(RunMetrics.QUEUE_DEPTH);
        double memory = max(RunMetrics.WORKER_MEMORY);
        double pool = poolUse();
        update("queue_depth", queue > thresholds.queueDepth(), queue, thresholds.queueDepth(),
                String.format(Locale.ROOT, "queue depth %,.0f is over %,d documents", queue, thresholds.queueDepth()));
        update("failure_rate", recorded >= thresholds.minDocumentsForRate() && failureRate > thresholds.failureRate(),
                failureRate, thresholds.failureRate(), String.format(Locale.ROOT,
                        "failure rate %.1f%% (%d of %d documents) is over %.1f%%", failureRate * 100, failed.sum(),
                        recorded, thresholds.failureRate() * 100));
        update("db_connections", pool > thresholds.dbConnections(), pool, thresholds.dbConnections(),
                String.format(Locale.ROOT, "database pool %.0f%% in use is over %.0f%%", pool * 100,
                        thresholds.dbConnections() * 100));
        update("worker_memory", memory > thresholds.workerMemoryBytes(), memory, thresholds.workerMemoryBytes(),
                String.format(Locale.ROOT, "worker memory %,.0f MB is over %,d MB", memory / 1e6,
                        thresholds.workerMemoryBytes() / 1_000_000));
    }

    private void update(String name, boolean active, double value, double threshold, String message) {
        Alert now;
        Alert before;
        synchronized (lock) {
            before = alerts.get(name);
            boolean raised = active || before != null && before.raised();
            double peak = active ? Math.max(value, before != null && before.raised() ? before.peak() : value)
                    : before != null && before.raised() ? before.peak() : value;
            String shown = active || before == null || !before.raised() ? message : before.message();
            now = new Alert(name, active, raised, value, peak, threshold, shown);
            alerts.put(name, now);
        }
        if (active && (before == null || !before.active())) {
            LOG.warn("Alert: {}", message);
        } else if (!active && before != null && before.active()) {
            LOG.info("Alert cleared: {}", name.replace('_', ' '));
        }
    }

    /** The alerts as last checked, in a fixed order. */
    public List<Alert> alerts() {
        synchronized (lock) {
            return List.copyOf(alerts.values());
        }
    }

    /** One line per alert that held at any time during the run, with its figure when last seen holding; empty when none did. */
    public List<String> alertsRaised() {
        return alerts().stream().filter(Alert::raised).map(Alert::message).toList();
    }

    private long done() {
        return classified.sum() + failed.sum() + duplicates.sum() + skipped.sum();
    }

    /** The run's state now, as the status page and {@code /api/run} show it. */
    public Map<String, Object> snapshot() {
        Map<String, Object> json = new LinkedHashMap<>();
        long done = done();
        long expected = total.get();
        double elapsed;
        List<double[]> history;
        String currentState;
        synchronized (lock) {
            currentState = state;
            elapsed = startedAt == null ? 0
                    : ((currentState.equals("running") ? System.nanoTime() : endNanos) - startNanos) / 1e9;
            history = new ArrayList<>(samples);
            json.put("state", currentState);
            json.put("engine", engine);
            json.put("workers", workers);
            json.put("startedAt", startedAt == null ? null : startedAt.toString());
        }
        if (currentState.equals("running")) {
            history.add(new double[] {elapsed, done});
        }
        json.put("elapsedSeconds", round(elapsed));
        json.put("total", expected < 0 ? null : expected);
        json.put("done", done);
        long recorded = classified.sum() + failed.sum() + duplicates.sum();
        json.put("recorded", recorded);
        json.put("classified", classified.sum());
        json.put("failed", failed.sum());
        json.put("duplicates", duplicates.sum());
        json.put("skipped", skipped.sum());
        json.put("pages", pages.sum());
        json.put("ocrPages", ocrPages.sum());
        json.put("bytes", bytes.sum());
        double rate = elapsed > 0 ? done / elapsed : 0;
        json.put("documentsPerSecond", round(rate));
        json.put("recentDocumentsPerSecond", round(recentRate(history)));
        json.put("pagesPerSecond", round(elapsed > 0 ? pages.sum() / elapsed : 0));
        json.put("failureRate", recorded == 0 ? 0.0 : Math.round(failed.sum() * 10_000.0 / recorded) / 10_000.0);
        json.put("etaSeconds", currentState.equals("running") && expected > done && rate > 0
                ? Math.round((expected - done) / rate) : null);
        long inFlight = Math.round(sum(RunMetrics.IN_FLIGHT));
        json.put("inFlight", inFlight);
        json.put("workerUtilisation", workers > 0 ? round(Math.min(1.0, inFlight / (double) workers)) : 0.0);
        json.put("queueDepth", Math.round(sum(RunMetrics.QUEUE_DEPTH)));
        json.put("byLabel", sums(byLabel));
        json.put("failuresByReason", sums(byReason));
        synchronized (recentFailures) {
            json.put("recentFailures", recentFailures.stream().map(f -> {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("path", f.path());
                line.put("stage", f.stage());
                line.put("reason", f.reason());
                line.put("message", f.message());
                line.put("at", f.at().toString());
                return line;
            }).toList());
        }
        json.put("throughput", history.stream().map(s -> List.of(round(s[0]), (long) s[1])).toList());
        json.put("members", members());
        json.put("memory", gaugesByTag(RunMetrics.WORKER_MEMORY, "member"));
        json.put("dbPools", pools());
        json.put("alerts", alerts());
        return json;
    }

    /** Documents per second over the last ten seconds of samples or so. */
    private static double recentRate(List<double[]> history) {
        if (history.size() < 2) {
            return 0;
        }
        double[] last = history.getLast();
        double[] first = history.get(Math.max(0, history.size() - 11));
        double seconds = last[0] - first[0];
        return seconds > 0 ? (last[1] - first[1]) / seconds : 0;
    }

    private Map<String, Long> members() {
        Map<String, Long> counts = new TreeMap<>();
        for (Counter counter : registry().find(RunMetrics.MEMBER_DOCUMENTS).counters()) {
            String member = counter.getId().getTag("member");
            counts.merge(member == null ? "?" : member, Math.round(counter.count()), Long::sum);
        }
        return counts;
    }

    private Map<String, Double> gaugesByTag(String name, String tag) {
        Map<String, Double> values = new TreeMap<>();
        for (Gauge gauge : registry().find(name).gauges()) {
            String key = gauge.getId().getTag(tag);
            values.put(key == null ? "?" : key, gauge.value());
        }
        return values;
    }

    /** Per HikariCP pool: connections active and the pool's maximum. */
    private Map<String, Map<String, Double>> pools() {
        Map<String, Map<String, Double>> pools = new TreeMap<>();
        gaugesByTag("hikaricp.connections.active", "pool").forEach((pool, active) ->
                pools.computeIfAbsent(pool, p -> new LinkedHashMap<>()).put("active", active));
        gaugesByTag("hikaricp.connections.max", "pool").forEach((pool, max) ->
                pools.computeIfAbsent(pool, p -> new LinkedHashMap<>()).put("max", max));
        return pools;
    }

    /** The largest share of a pool in use, over all pools. */
    private double poolUse() {
        double use = 0;
        for (Map<String, Double> pool : pools().values()) {
            Double active = pool.get("active");
            Double max = pool.get("max");
            if (active != null && max != null && max > 0) {
                use = Math.max(use, active / max);
            }
        }
        return use;
    }

    private double sum(String name) {
        return registry().find(name).gauges().stream().mapToDouble(Gauge::value).filter(Double::isFinite).sum();
    }

    private double max(String name) {
        return registry().find(name).gauges().stream().mapToDouble(Gauge::value).filter(Double::isFinite).max()
                .orElse(0);
    }

    private MeterRegistry registry() {
        return metrics.registry();
    }

    private static Map<String, Long> sums(Map<String, LongAdder> map) {
        Map<String, Long> sums = new TreeMap<>();
        map.forEach((key, adder) -> sums.put(key, adder.sum()));
        return sums;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
