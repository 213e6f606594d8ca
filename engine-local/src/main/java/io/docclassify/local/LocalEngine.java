package io.docclassify.local;

import io.docclassify.DocumentRecord;
import io.docclassify.DocumentRef;
import io.docclassify.spi.Engine;
import io.docclassify.spi.EngineRun;
import io.docclassify.spi.EngineSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code local} engine: a fixed pool of platform threads taking documents in chunks.
 *
 * <p>Thread-safe; each {@link #run} has its own pool.
 */
/*
 * Design: the calling thread reads the source lazily and hands chunks of chunkSize documents to a
 * pool of `workers` platform threads. A semaphore allows at most two chunks per worker to be queued
 * or running, so a source of any size never piles up in memory, and the source is never read far
 * ahead of the workers. A worker checks the stop flag between documents: after a stop, documents
 * not yet started get no record and a resumed run picks them up. Shutdown has two phases: wait up
 * to the grace period for documents in flight, then interrupt them (their extraction is abandoned,
 * and they too are left to the resumed run). The first sink failure stops the run and is rethrown,
 * since records that cannot be stored would be lost.
 */
public final class LocalEngine implements Engine {

    private static final Logger LOG = LoggerFactory.getLogger(LocalEngine.class);
    private static final int CHUNKS_PER_WORKER = 2;

    @Override
    public String name() {
        return "local";
    }

    @Override
    public void run(EngineRun run) throws IOException, InterruptedException {
        int workers = run.workers();
        Semaphore slots = new Semaphore(workers * CHUNKS_PER_WORKER);
        AtomicInteger ids = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(workers * CHUNKS_PER_WORKER), task -> {
                    Thread thread = new Thread(task, "docclassify-worker-" + ids.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        // Chunks waiting in the pool's queue, in documents (the last chunk may hold fewer).
        run.metrics().queueDepth(() -> pool.getQueue().size() * run.chunkSize());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Stream<DocumentRef> refs = run.source().open()) {
            Iterator<DocumentRef> it = refs.iterator();
            while (!stopping(run, failure) && it.hasNext()) {
                List<DocumentRef> chunk = new ArrayList<>(run.chunkSize());
                while (chunk.size() < run.chunkSize() && it.hasNext()) {
                    chunk.add(it.next());
                }
                slots.acquire();
                pool.execute(() -> {
                    try {
                        processChunk(run, chunk, failure);
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

    private static boolean stopping(EngineRun run, AtomicReference<Throwable> failure) {
        return failure.get() != null || run.stopRequested().getAsBoolean();
    }

    private static void processChunk(EngineRun run, List<DocumentRef> chunk, AtomicReference<Throwable> failure) {
        for (DocumentRef ref : chunk) {
            if (stopping(run, failure)) {
                return;
            }
            try {
                Optional<DocumentRecord> record = run.processor().process(ref);
                if (record.isPresent()) {
                    run.collector().collect(record.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException | Error e) {
                if (failure.compareAndSet(null, e)) {
                    LOG.error("Stopping the run: storing the record of {} failed", ref.path(), e);
                }
                return;
            }
        }
    }

}
