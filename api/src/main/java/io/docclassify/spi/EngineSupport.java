package io.docclassify.spi;

import io.docclassify.DocumentRecord;
import io.docclassify.DocumentRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every engine that runs documents on an executor shares: the loop that hands documents out, processing
 * one document, a two-phase shutdown, and rethrowing the first failure.
 */
public final class EngineSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EngineSupport.class);

    private EngineSupport() {}

    /**
     * Runs every document of the source as a task on {@code executor}: the calling thread reads the source
     * lazily and takes one of {@code permits} per document, so the source is read no further ahead than the
     * permits allow; once the run is {@linkplain #stopping stopping} no new document starts. Then the executor
     * is {@linkplain #shutdown shut down} and the first failure rethrown. An interrupt of the calling thread
     * interrupts the documents in flight (their extraction abandoned, left to a resumed run) and is rethrown.
     */
    public static void runEach(EngineRun run, ExecutorService executor, Semaphore permits)
            throws IOException, InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Stream<DocumentRef> refs = run.source().open()) {
            Iterator<DocumentRef> it = refs.iterator();
            while (!stopping(run, failure) && it.hasNext()) {
                DocumentRef ref = it.next();
                permits.acquire();
                if (stopping(run, failure)) {
                    permits.release();
                    break;
                }
                executor.execute(() -> {
                    try {
                        process(run, ref, failure);
                    } finally {
                        permits.release();
                    }
                });
            }
        } catch (UncheckedIOException e) {
            failure.compareAndSet(null, e.getCause());
        } catch (InterruptedException e) {
            executor.shutdownNow();
            throw e;
        } finally {
            shutdown(executor, run);
        }
        rethrow(failure.get());
    }

    /** Whether the run should start no new document: a failure happened, or a stop was requested. */
    private static boolean stopping(EngineRun run, AtomicReference<Throwable> failure) {
        return failure.get() != null || run.stopRequested().getAsBoolean();
    }

    /**
     * Processes {@code ref} and collects its record, unless the run is {@linkplain #stopping stopping}. The
     * first failure to store a record is kept in {@code failure} (and logged), which stops the run; an
     * interrupt leaves the document to a resumed run.
     */
    private static void process(EngineRun run, DocumentRef ref, AtomicReference<Throwable> failure) {
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
        } catch (IOException | RuntimeException | Error e) {
            if (failure.compareAndSet(null, e)) {
                LOG.error("Stopping the run: storing the record of {} failed", ref.path(), e);
            }
        }
    }

    /**
     * Shuts {@code executor} down after the run's last document was handed over. While the run is healthy
     * there is no deadline; once a stop is requested, documents in flight get {@link EngineRun#shutdownGrace()},
     * then they are interrupted (their extraction abandoned) and left to a resumed run.
     */
    private static void shutdown(ExecutorService executor, EngineRun run) throws InterruptedException {
        executor.shutdown();
        while (!executor.awaitTermination(200, TimeUnit.MILLISECONDS)) {
            if (run.stopRequested().getAsBoolean()) {
                if (!executor.awaitTermination(run.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("Documents still in flight after the {} s grace period are abandoned; a resumed run picks them up",
                            run.shutdownGrace().toSeconds());
                    executor.shutdownNow();
                    executor.awaitTermination(5, TimeUnit.SECONDS);
                }
                return;
            }
        }
    }

    /** Rethrows the run's first failure, if any, as the {@link Engine#run} contract allows. */
    private static void rethrow(Throwable failure) throws IOException {
        if (failure == null) {
            return;
        }
        if (failure instanceof IOException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        throw new IOException(failure);
    }
}
