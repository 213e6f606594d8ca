package io.docclassify;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a run did: counts by outcome, label and failure reason, volume, time per stage, and rates.
 *
 * @param engine the engine's name
 * @param startedAt when the run started
 * @param elapsed wall time of the run
 * @param classified documents classified
 * @param failed documents failed
 * @param duplicates documents whose content was seen before
 * @param resumed documents skipped because an earlier run recorded them
 * @param pages pages of the documents extracted in this run (where the format reports pages)
 * @param bytes bytes of the documents recorded in this run
 * @param byLabel classified documents per label
 * @param failuresByReason failed documents per {@code stage/reason}
 * @param stageMillis total milliseconds per stage over all documents (summed across workers)
 * @param stopped whether the run was stopped before the source was exhausted
 * @param abandonedExtractions parses that overran their budget and were left behind on their thread
 * @param ocrPages pages (and images) whose text came from OCR, a part of {@code pages}
 */
public record RunReport(
        String engine,
        Instant startedAt,
        Duration elapsed,
        long classified,
        long failed,
        long duplicates,
        long resumed,
        long pages,
        long bytes,
        Map<String, Long> byLabel,
        Map<String, Long> failuresByReason,
        Map<String, Long> stageMillis,
        boolean stopped,
        long abandonedExtractions,
        long ocrPages) {

    /** The users' floor: 500,000 documents in a week. */
    public static final double REQUIRED_DOCUMENTS_PER_HOUR = 500_000.0 / (7 * 24);

    public RunReport {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(elapsed, "elapsed");
        byLabel = Collections.unmodifiableMap(new TreeMap<>(byLabel));
        failuresByReason = Collections.unmodifiableMap(new TreeMap<>(failuresByReason));
        stageMillis = Collections.unmodifiableMap(new TreeMap<>(stageMillis));
    }

    /** A report of a run that OCRed nothing. */
    public RunReport(String engine, Instant startedAt, Duration elapsed, long classified, long failed, long duplicates,
            long resumed, long pages, long bytes, Map<String, Long> byLabel, Map<String, Long> failuresByReason,
            Map<String, Long> stageMillis, boolean stopped, long abandonedExtractions) {
        this(engine, startedAt, elapsed, classified, failed, duplicates, resumed, pages, bytes, byLabel,
                failuresByReason, stageMillis, stopped, abandonedExtractions, 0);
    }

    /** Records written by this run: classified + failed + duplicates. */
    public long documents() {
        return classified + failed + duplicates;
    }

    /** Documents recorded per hour of wall time; 0 for an empty run. */
    public double documentsPerHour() {
        return perSecond(documents()) * 3600;
    }

    /** Pages extracted per second of wall time; 0 for an empty run. */
    public double pagesPerSecond() {
        return perSecond(pages);
    }

    /**
     * How long {@code documents} documents would take at this run's document rate, or {@code null}
     * when the run recorded nothing to measure.
     */
    public Duration projectDocuments(long documents) {
        double rate = perSecond(documents());
        return rate > 0 ? Duration.ofMillis((long) (documents / rate * 1000)) : null;
    }

    /**
     * How long {@code pages} pages would take at this run's page rate, or {@code null} when the run
     * extracted no pages.
     */
    public Duration projectPages(long pages) {
        double rate = pagesPerSecond();
        return rate > 0 ? Duration.ofMillis((long) (pages / rate * 1000)) : null;
    }

    private double perSecond(long count) {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? count / seconds : 0;
    }
}
