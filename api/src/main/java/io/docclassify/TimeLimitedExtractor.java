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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time budgets as a layer around an extractor that runs in this JVM: each extraction runs on a
 * thread of its own, and the layer gives up on one that overruns its budgets.
 *
 * <p>The budgets are enforced here, by the caller, with {@link System#nanoTime()}: a parser stuck
 * in a loop cannot be trusted to notice its own deadline. A parse that overruns is cancelled
 * (flagged and interrupted) and its document fails with {@code timeout}; a thread that ignores
 * both is abandoned and counted, since the JVM cannot stop it (process isolation, {@link
 * IsolatedExtractor}, is the cure). Thread-safe.
 */
final class TimeLimitedExtractor implements BudgetedExtractor {

    private static final Logger LOG = LoggerFactory.getLogger(TimeLimitedExtractor.class);

    private final Extractor inner;
    private final Duration total;
    private final Duration noProgress;
    private final ExecutorService threads;
    private final AtomicInteger stuck = new AtomicInteger();

    TimeLimitedExtractor(Extractor inner, Duration total, Duration noProgress) {
        this.inner = inner;
        this.total = total;
        this.noProgress = noProgress;
        AtomicInteger ids = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "docclassify-extract-" + ids.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Watches one extraction: the parse reports progress, the layer decides when to give up. */
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

    @Override
    public String id() {
        return inner.id();
    }

    /** Extracts within the budgets; {@code progress} is not read (this layer is the one that watches). */
    @Override
    public ExtractedText extract(Path file, ExtractionProgress progress) throws ExtractionException {
        Watch watch = new Watch();
        long start = System.nanoTime();
        Future<ExtractedText> future = threads.submit(() -> {
            try {
                return inner.extract(file, watch);
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
                throw overrun(totalLeft <= 0, total, noProgress, "");
            }
            try {
                return future.get(Math.min(totalLeft, idleLeft), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // Loop: re-check both budgets, since progress may have moved the no-progress deadline.
            } catch (InterruptedException e) {
                giveUp(watch, future, file);
                Thread.currentThread().interrupt();
                throw interrupted();
            } catch (ExecutionException e) {
                throw unwrap(e.getCause());
            }
        }
    }

    /**
     * The {@code timeout} failure of a document that went past its total budget ({@code total} true) or
     * made no progress for too long; {@code after} says what was done about it.
     */
    static ExtractionException overrun(boolean totalBudget, Duration total, Duration noProgress, String after) {
        String message = totalBudget
                ? "extraction took longer than its budget of " + seconds(total) + " (ExtractionLimits.totalTimeout)"
                : "extraction made no progress for " + seconds(noProgress) + " (ExtractionLimits.noProgressTimeout)";
        return new ExtractionException(FailureReason.TIMEOUT, null, message + after, null);
    }

    /** What an extraction layer throws when its thread is interrupted; the thread's flag stays set. */
    static ExtractionException interrupted() {
        return new ExtractionException(FailureReason.TIMEOUT, null, "interrupted while extracting", null);
    }

    /** A budget as configured: {@code 60 s}, {@code 0.3 s}. */
    private static String seconds(Duration budget) {
        return BigDecimal.valueOf(budget.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }

    private void giveUp(Watch watch, Future<?> future, Path file) {
        watch.cancel();
        future.cancel(true);
        LOG.debug("Gave up extracting {}", file);
    }

    private static ExtractionException unwrap(Throwable cause) {
        if (cause instanceof ExtractionException e) {
            return e;
        }
        FailureReason reason = cause instanceof OutOfMemoryError ? FailureReason.OUT_OF_MEMORY : FailureReason.CRASHED;
        return new ExtractionException(reason, null, "the extractor crashed: " + cause, cause);
    }

    @Override
    public int abandoned() {
        return stuck.get();
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
