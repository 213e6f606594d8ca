package io.docclassify.spi;

import io.docclassify.DocumentRecord;
import io.docclassify.DocumentRef;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps every engine that runs documents on an executor shares: processing one document, a two-phase
 * shutdown, and rethrowing the first failure.
 */
public final class EngineSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EngineSupport.class);

    private EngineSupport() {}

    /** Whether the run should start no new document: a failure happened, or a stop was requested. */
    public static boolean stopping(EngineRun run, AtomicReference<Throwable> failure) {
        return failure.get() != null || run.stopRequested().getAsBoolean();
    }

    /**
     * Processes {@code ref} and collects its record, unless the run is {@linkplain #stopping stopping}. The
     * first failure to store a record is kept in {@code failure} (and logged), which stops the run; an
     * interrupt leaves the document to a resumed run.
     */
    public static void process(EngineRun run, DocumentRef ref, AtomicReference<Throwable> failure) {
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
    public static void shutdown(ExecutorService executor, EngineRun run) throws InterruptedException {
        executor.shutdown();
        while (!executor.awaitTermination(200, TimeUnit.MILLISECONDS)) {
            if (run.stopRequested().getAsBoolean()) {
                if (!executor.awaitTermination(run.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("Documents still in flight after the {} s grace period are abandoned; --resume picks them up",
                            run.shutdownGrace().toSeconds());
                    executor.shutdownNow();
                    executor.awaitTermination(5, TimeUnit.SECONDS);
                }
                return;
            }
        }
    }

    /** Rethrows the run's first failure, if any, as the {@link Engine#run} contract allows. */
    public static void rethrow(Throwable failure) throws IOException {
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
