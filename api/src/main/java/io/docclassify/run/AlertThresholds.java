package io.docclassify.run;

import io.docclassify.ConfigurationException;

/**
 * When a run needs a look: the conditions the status page lights and the log and summary report.
 *
 * @param queueDepth documents waiting for a worker above which the queue alert holds
 * @param failureRate share of recorded documents that failed (0..1) above which the failure alert holds
 * @param minDocumentsForRate documents recorded before the failure rate is judged, so the first few do not decide
 * @param dbConnections share of the database pool in use (0..1) above which the connection alert holds
 * @param workerMemoryBytes heap used by one worker process above which the memory alert holds
 */
public record AlertThresholds(long queueDepth, double failureRate, long minDocumentsForRate, double dbConnections,
        long workerMemoryBytes) {

    /** The thresholds of the system we replace: 10,000 queued, 5% failures, 80% of the pool, 4 GB per worker. */
    public static AlertThresholds defaults() {
        return new AlertThresholds(10_000, 0.05, 20, 0.80, 4_000_000_000L);
    }

    public AlertThresholds {
        if (queueDepth < 0) {
            throw new ConfigurationException("queue depth threshold must be >= 0, got " + queueDepth);
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new ConfigurationException("failure rate threshold must be between 0 and 1 (5% is 0.05), got "
                    + failureRate);
        }
        if (minDocumentsForRate < 1) {
            throw new ConfigurationException("documents before the failure rate is judged must be >= 1, got "
                    + minDocumentsForRate);
        }
        if (!(dbConnections > 0 && dbConnections <= 1)) {
            throw new ConfigurationException("database connection threshold must be a share of the pool in (0, 1]"
                    + " (80% is 0.8), got " + dbConnections);
        }
        if (workerMemoryBytes < 1) {
            throw new ConfigurationException("worker memory threshold must be >= 1 byte, got " + workerMemoryBytes);
        }
    }
}
