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
}
