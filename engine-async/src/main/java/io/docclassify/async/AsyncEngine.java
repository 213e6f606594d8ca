package io.docclassify.async;

import io.docclassify.DocumentRef;
import io.docclassify.spi.Engine;
import io.docclassify.spi.EngineRun;
import io.docclassify.spi.EngineSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The {@code async} engine: a virtual thread per document, at most {@link EngineRun#maxConcurrent()}
 * documents in flight.
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

    @Override
    public String name() {
        return "async";
    }

    @Override
    public void run(EngineRun run) throws IOException, InterruptedException {
        Semaphore inFlight = new Semaphore(run.maxConcurrent());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("docclassify-async-", 1).factory());
        try (Stream<DocumentRef> refs = run.source().open()) {
            Iterator<DocumentRef> it = refs.iterator();
            while (!EngineSupport.stopping(run, failure) && it.hasNext()) {
                DocumentRef ref = it.next();
                inFlight.acquire();
                if (EngineSupport.stopping(run, failure)) {
                    inFlight.release();
                    break;
                }
                executor.execute(() -> {
                    try {
                        EngineSupport.process(run, ref, failure);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        } catch (UncheckedIOException e) {
            failure.compareAndSet(null, e.getCause());
        } catch (InterruptedException e) {
            executor.shutdownNow();
            throw e;
        } finally {
            EngineSupport.shutdown(executor, run);
        }
        EngineSupport.rethrow(failure.get());
    }
}
