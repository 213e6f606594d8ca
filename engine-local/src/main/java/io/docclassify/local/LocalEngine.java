package io.docclassify.local;

import io.docclassify.DocumentRef;
import io.docclassify.spi.Engine;
import io.docclassify.spi.EngineRun;
import io.docclassify.spi.EngineSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The {@code local} engine: a fixed pool of platform threads taking documents one by one.
 *
 * <p>Thread-safe; each {@link #run} has its own pool.
 */
/*
 * Design: the calling thread reads the source lazily and hands documents to a pool of `workers`
 * platform threads. A semaphore allows at most two chunks' worth (2 x chunkSize documents) per
 * worker to be queued or running, so a source of any size never piles up in memory, and the source
 * is never read far ahead of the workers. Workers take one document at a time, not a chunk: with
 * chunks, the last one kept a worker busy while the other idled (measured on the 138 papers at the
 * default text budget, about 10 ms a document: the pipeline ran at 81 % of bare extraction's speed
 * with chunks of 10, 92 % one by one), and handing over a document costs microseconds. A worker
 * checks the stop flag before each document: after a stop, documents not yet started get no record
 * and a resumed run picks them up. Shutdown has two phases: wait up
 * to the grace period for documents in flight, then interrupt them (their extraction is abandoned,
 * and they too are left to the resumed run). The first sink failure stops the run and is rethrown,
 * since records that cannot be stored would be lost.
 */
public final class LocalEngine implements Engine {

    private static final int CHUNKS_PER_WORKER = 2;

    @Override
    public String name() {
        return "local";
    }

    @Override
    public void run(EngineRun run) throws IOException, InterruptedException {
        int workers = run.workers();
        int inFlight = workers * CHUNKS_PER_WORKER * run.chunkSize();
        Semaphore slots = new Semaphore(inFlight);
        AtomicInteger ids = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(inFlight), task -> {
                    Thread thread = new Thread(task, "docclassify-worker-" + ids.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        run.metrics().queueDepth(() -> pool.getQueue().size());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Stream<DocumentRef> refs = run.source().open()) {
            Iterator<DocumentRef> it = refs.iterator();
            while (!EngineSupport.stopping(run, failure) && it.hasNext()) {
                DocumentRef ref = it.next();
                slots.acquire();
                pool.execute(() -> {
                    try {
                        EngineSupport.process(run, ref, failure);
                    } finally {
                        slots.release();
                    }
                });
            }
        } catch (UncheckedIOException e) {
            failure.compareAndSet(null, e.getCause());
        } finally {
            EngineSupport.shutdown(pool, run);
        }
        EngineSupport.rethrow(failure.get());
    }
}
