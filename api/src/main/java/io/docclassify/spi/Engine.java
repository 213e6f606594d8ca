package io.docclassify.spi;

import java.io.IOException;

/**
 * Schedules the pipeline over a source: on a thread pool, on virtual threads, on a cluster.
 *
 * <p>Engines are found by {@link #name()} through {@link java.util.ServiceLoader}; an implementation
 * is public with a public no-argument constructor and listed in
 * {@code META-INF/services/io.docclassify.spi.Engine}. An engine only schedules: counting,
 * listeners and the sink sit behind {@link EngineRun#collector()}.
 */
public interface Engine {

    /** The name users select it by, such as {@code local}. */
    String name();

    /**
     * Processes every document of the source, or stops early once {@link EngineRun#stopRequested()}.
     *
     * @throws IOException when the source or the collector fails; the run cannot go on
     * @throws InterruptedException when the calling thread is interrupted
     */
    void run(EngineRun run) throws IOException, InterruptedException;

    /**
     * This engine, sized as the host's builder asks: each engine copies what it uses (workers, chunk size,
     * documents in flight) into its own settings. By default the engine has no size and is returned as it is.
     */
    default Engine sized(EngineSizing sizing) {
        return this;
    }

    /** How much runs at once, for a run's summary, such as {@code 4 workers} or {@code 50 in flight}; may be empty. */
    default String concurrency() {
        return "";
    }
}
