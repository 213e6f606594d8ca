package io.docclassify.spi;

import io.docclassify.run.RunMetrics;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * What every engine needs for one run; how big the engine runs is its own setting ({@link Engine#sized}).
 *
 * @param source the documents
 * @param processor the pipeline to schedule for each document
 * @param collector where each record goes
 * @param stopRequested polled between documents: once {@code true}, start no new document
 * @param shutdownGrace how long in-flight documents may take after a stop before they are abandoned
 * @param metrics where the engine reports what only it knows: queue depth, documents in flight, per-member
 *     counts ({@link RunMetrics#none()} when the host gave no registry)
 */
public record EngineRun(
        DocumentSource source,
        DocumentProcessor processor,
        RecordCollector collector,
        BooleanSupplier stopRequested,
        Duration shutdownGrace,
        RunMetrics metrics) {

    public EngineRun {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(collector, "collector");
        Objects.requireNonNull(stopRequested, "stopRequested");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(metrics, "metrics");
    }

    /** A run without metrics. */
    public EngineRun(DocumentSource source, DocumentProcessor processor, RecordCollector collector,
            BooleanSupplier stopRequested, Duration shutdownGrace) {
        this(source, processor, collector, stopRequested, shutdownGrace, RunMetrics.none());
    }
}
