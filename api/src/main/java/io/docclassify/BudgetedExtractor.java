package io.docclassify;

import io.docclassify.spi.Extractor;

/**
 * The outermost extraction layer, the one the pipeline calls: it enforces the time budgets itself,
 * in this JVM ({@link TimeLimitedExtractor}) or by killing a child JVM ({@link IsolatedExtractor}).
 *
 * <p>Its {@code extract} fails with {@code timeout} when a budget runs out; when the calling thread is
 * interrupted it fails too, with the thread's interrupt flag set, so the caller can tell the two apart.
 */
sealed interface BudgetedExtractor extends Extractor, AutoCloseable permits TimeLimitedExtractor, IsolatedExtractor {

    /** Extractions given up on whose threads are still running (always 0 for child JVMs, which are killed). */
    int abandoned();

    @Override
    void close();
}
