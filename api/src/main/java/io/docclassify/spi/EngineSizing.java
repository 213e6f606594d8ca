package io.docclassify.spi;

import io.docclassify.ConfigurationException;

/**
 * How big a host asks the engine to run, as the {@code DocumentClassifier} builder's {@code workers},
 * {@code chunkSize} and {@code maxConcurrent} say; each engine takes the parts it uses into its own
 * settings ({@link Engine#sized}) and ignores the rest.
 *
 * @param workers documents processed at once by engines with a pool of threads (>= 1)
 * @param chunkSize documents per chunk (>= 1): what a cluster member takes at a time; an engine that hands
 *     out single documents may use it to bound how far it reads ahead
 * @param maxConcurrent documents in flight at once on engines that wait cheaply (virtual threads) (>= 1)
 */
public record EngineSizing(int workers, int chunkSize, int maxConcurrent) {

    /** The default of {@link #maxConcurrent()}: the seed system's asyncio processor also allowed 50. */
    public static final int DEFAULT_MAX_CONCURRENT = 50;
    public static final int DEFAULT_CHUNK_SIZE = 10;

    public EngineSizing {
        check("DocumentClassifier.workers", workers);
        check("DocumentClassifier.chunkSize", chunkSize);
        check("DocumentClassifier.maxConcurrent", maxConcurrent);
    }

    /** One worker per core, chunks of 10, 50 in flight. */
    public static EngineSizing defaults() {
        return new EngineSizing(Runtime.getRuntime().availableProcessors(), DEFAULT_CHUNK_SIZE, DEFAULT_MAX_CONCURRENT);
    }

    /** Refuses a {@code value} below 1, naming {@code setting}. */
    public static void check(String setting, int value) {
        if (value < 1) {
            throw new ConfigurationException(setting, value, setting + " must be >= 1, got " + value);
        }
    }
}
