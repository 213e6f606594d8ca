package io.docclassify;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters of one run, turned into a {@link RunReport} at the end. */
final class RunStats {

    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private final LongAdder classified = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder resumed = new LongAdder();
    private final LongAdder pages = new LongAdder();
    private final LongAdder ocrPages = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final Map<String, LongAdder> byLabel = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byReason = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> stageMillis = new ConcurrentHashMap<>();

    void record(DocumentRecord record, long sinkNanos) {
        switch (record.outcome()) {
            case Outcome.Classified c -> {
                classified.increment();
                add(byLabel, c.label(), 1);
            }
            case Outcome.Failed f -> {
                failed.increment();
                add(byReason, f.stage().code() + "/" + f.reason(), 1);
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
        record.timingsMs().forEach((stage, millis) -> add(stageMillis, stage, millis));
        add(stageMillis, "sink", sinkNanos / 1_000_000);
    }

    void skipped() {
        resumed.increment();
    }

    long recorded() {
        return classified.sum() + failed.sum() + duplicates.sum();
    }

    RunReport report(String engine, boolean stopped, long abandoned) {
        return new RunReport(engine, startedAt, Duration.ofNanos(System.nanoTime() - startNanos), classified.sum(),
                failed.sum(), duplicates.sum(), resumed.sum(), pages.sum(), bytes.sum(), sums(byLabel), sums(byReason),
                sums(stageMillis), stopped, abandoned, ocrPages.sum());
    }

    private static void add(Map<String, LongAdder> map, String key, long amount) {
        map.computeIfAbsent(key, k -> new LongAdder()).add(amount);
    }

    private static Map<String, Long> sums(Map<String, LongAdder> map) {
        Map<String, Long> sums = new HashMap<>();
        map.forEach((key, adder) -> sums.put(key, adder.sum()));
        return sums;
    }
}
