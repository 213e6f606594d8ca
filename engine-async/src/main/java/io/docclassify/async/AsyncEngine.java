package io.docclassify.async;

import io.docclassify.concurrent.NamedThreads;
import io.docclassify.spi.Engine;
import io.docclassify.spi.EngineRun;
import io.docclassify.spi.EngineSizing;
import io.docclassify.spi.EngineSupport;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * The {@code async} engine: a virtual thread per document, at most {@code maxConcurrent} documents in flight.
 *
 * <p>Thread-safe; each {@link #run} has its own executor.
 */
/*
 * Design: the calling thread reads the source lazily and starts a virtual thread per document once
 * one of maxConcurrent in-flight permits is free, so the source is never read further ahead than
 * that and a million documents never become a million threads. Waiting (an LLM over HTTP, a slow
 * sink) costs a parked virtual thread, not a platform thread. CPU-bound stages and the bytes being
 * extracted are bounded inside the shared pipeline (its CPU permits and byte budget), so 50 documents
 * waiting on the network never idle the cores and 50 documents extracting never over-subscribe them.
 * Dedup happens in the pipeline too, after hashing and before extraction: of two documents with the
 * same content hashed at the same moment, exactly one claims the hash and is extracted. Records go
 * to the collector from each document's own thread; the sinks batch (size and time triggers) and
 * block callers when they fall behind, which parks virtual threads that hold in-flight permits, so
 * intake slows to the sink's pace. Stop and failure handling follow the local engine: no new
 * document after a stop or the first sink failure; shutdown waits for documents in flight (the grace
 * period after a stop), then interrupts them and leaves them to a resumed run.
 */
public final class AsyncEngine implements Engine {

    private final int maxConcurrent;

    /** At most 50 documents in flight: what the engine found by name starts with. */
    public AsyncEngine() {
        this(EngineSizing.DEFAULT_MAX_CONCURRENT);
    }

    /** At most {@code maxConcurrent} documents in flight. */
    public AsyncEngine(int maxConcurrent) {
        EngineSizing.check("AsyncEngine.maxConcurrent", maxConcurrent);
        this.maxConcurrent = maxConcurrent;
    }

    @Override
    public String name() {
        return "async";
    }

    @Override
    public Engine sized(EngineSizing sizing) {
        return new AsyncEngine(sizing.maxConcurrent());
    }

    @Override
    public String concurrency() {
        return maxConcurrent + " in flight";
    }

    @Override
    public void run(EngineRun run) throws IOException, InterruptedException {
        EngineSupport.runEach(run, Executors.newThreadPerTaskExecutor(NamedThreads.virtual("docclassify-async-")),
                new Semaphore(maxConcurrent));
    }
}
