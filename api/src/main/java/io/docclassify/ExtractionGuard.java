package io.docclassify;

import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import io.docclassify.spi.Extractor;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs extractions on threads of their own and gives up on those that overrun their budgets.
 *
 * <p>The budgets are enforced here, by the caller, with {@link System#nanoTime()}: a parser stuck
 * in a loop cannot be trusted to notice its own deadline. A parse that overruns is cancelled
 * (flagged and interrupted) and its document fails with {@code timeout}; a thread that ignores
 * both is abandoned and counted, since the JVM cannot stop it (process isolation is the cure).
 */
final class ExtractionGuard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExtractionGuard.class);

    private final Duration total;
    private final Duration noProgress;
    private final ExecutorService threads;
    private final AtomicInteger stuck = new AtomicInteger();
    private final AtomicLong timeouts = new AtomicLong();
    private final IsolatedExtraction isolated;

    ExtractionGuard(Duration total, Duration noProgress) {
        this(total, noProgress, null);
    }

    /** With {@code isolated} not null, documents are extracted in its child JVMs, which it kills when they overrun. */
    ExtractionGuard(Duration total, Duration noProgress, IsolatedExtraction isolated) {
        this.total = total;
        this.noProgress = noProgress;
        this.isolated = isolated;
        AtomicInteger ids = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "docclassify-extract-" + ids.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Watches one extraction: the parse reports progress, the guard decides when to give up. */
    private final class Watch implements ExtractionProgress {
        private volatile long lastProgress = System.nanoTime();
        private volatile boolean cancelled;
        private boolean finished;

        @Override
        public void advanced() {
            lastProgress = System.nanoTime();
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }

        synchronized void cancel() {
            cancelled = true;
            if (!finished) {
                stuck.incrementAndGet();
            }
        }

        synchronized void finish() {
            finished = true;
            if (cancelled) {
                stuck.decrementAndGet();
            }
        }
    }

    ExtractedText extract(Extractor extractor, Path file) throws ExtractionException, InterruptedException {
        if (isolated != null) {
            return isolated.extract(file, total, noProgress);
        }
        Watch watch = new Watch();
        long start = System.nanoTime();
        Future<ExtractedText> future = threads.submit(() -> {
            try {
                return extractor.extract(file, watch);
            } finally {
                watch.finish();
            }
        });
        while (true) {
            long now = System.nanoTime();
            long totalLeft = start + total.toNanos() - now;
            long idleLeft = watch.lastProgress + noProgress.toNanos() - now;
            if (totalLeft <= 0 || idleLeft <= 0) {
                giveUp(watch, future, file);
                String message = totalLeft <= 0
                        ? "extraction took longer than its budget of " + seconds(total) + " (ExtractionLimits.totalTimeout)"
                        : "extraction made no progress for " + seconds(noProgress) + " (ExtractionLimits.noProgressTimeout)";
                throw new ExtractionException(FailureReason.TIMEOUT, null, message, null);
            }
            try {
                return future.get(Math.min(totalLeft, idleLeft), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // Loop: re-check both budgets, since progress may have moved the no-progress deadline.
            } catch (InterruptedException e) {
                giveUp(watch, future, file);
                throw e;
            } catch (ExecutionException e) {
                throw unwrap(e.getCause());
            }
        }
    }

    /** A budget as configured: {@code 60 s}, {@code 0.3 s}. */
    private static String seconds(Duration budget) {
        return BigDecimal.valueOf(budget.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }

    private void giveUp(Watch watch, Future<?> future, Path file) {
        watch.cancel();
        future.cancel(true);
        timeouts.incrementAndGet();
        LOG.debug("Gave up extracting {}", file);
    }

    private static ExtractionException unwrap(Throwable cause) {
        if (cause instanceof ExtractionException e) {
            return e;
        }
        FailureReason reason = cause instanceof OutOfMemoryError ? FailureReason.OUT_OF_MEMORY : FailureReason.CRASHED;
        return new ExtractionException(reason, null, "the extractor crashed: " + cause, cause);
    }

    /** Parses given up on whose threads are still running. */
    int abandoned() {
        return stuck.get();
    }

    @Override
    public void close() {
        threads.shutdownNow();
        if (isolated != null) {
            isolated.close();
        }
    }
}
