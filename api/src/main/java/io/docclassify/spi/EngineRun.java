package io.docclassify.spi;

import io.docclassify.run.RunMetrics;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Everything an engine needs for one run.
 *
 * @param source the documents
 * @param processor the pipeline to schedule for each document
 * @param collector where each record goes
 * @param workers how many documents to process at once (>= 1)
 * @param chunkSize documents per chunk (>= 1): what a cluster member takes at a time; an engine that
 *     hands out single documents may use it to bound how far it reads ahead
 * @param stopRequested polled between documents: once {@code true}, start no new document
 * @param shutdownGrace how long in-flight documents may take after a stop before they are abandoned
 * @param maxConcurrent for engines that wait cheaply (virtual threads): how many documents may be in
 *     flight at once (>= 1); CPU-bound stages are bounded separately, inside the processor
 * @param metrics where the engine reports what only it knows: queue depth, documents in flight, per-member
 *     counts ({@link RunMetrics#none()} when the host gave no registry)
 */
public record EngineRun(
        DocumentSource source,
        DocumentProcessor processor,
        RecordCollector collector,
        int workers,
        int chunkSize,
        BooleanSupplier stopRequested,
        Duration shutdownGrace,
        int maxConcurrent,
        RunMetrics metrics) {

    /** The default of {@link #maxConcurrent()}: the seed system's asyncio processor also allowed 50. */
    public static final int DEFAULT_MAX_CONCURRENT = 50;

    public EngineRun {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(collector, "collector");
        Objects.requireNonNull(stopRequested, "stopRequested");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be >= 1, got " + chunkSize);
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be >= 1, got " + maxConcurrent);
        }
    }

    /**
     * A run with the default {@link #maxConcurrent()} and no metrics, for engines that schedule by
     * {@code workers} only.
     */
    public EngineRun(DocumentSource source, DocumentProcessor processor, RecordCollector collector, int workers,
            int chunkSize, BooleanSupplier stopRequested, Duration shutdownGrace) {
        this(source, processor, collector, workers, chunkSize, stopRequested, shutdownGrace, DEFAULT_MAX_CONCURRENT,
                RunMetrics.none());
    }
}
