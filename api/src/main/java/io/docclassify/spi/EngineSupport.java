package io.docclassify.spi;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Steps every engine that runs documents on an executor shares: a two-phase shutdown, and rethrowing the first failure. */
public final class EngineSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EngineSupport.class);

    private EngineSupport() {}

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
