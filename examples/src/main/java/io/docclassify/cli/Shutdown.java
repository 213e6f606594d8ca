package io.docclassify.cli;

import io.docclassify.DocumentClassifier;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGINT and SIGTERM into a clean stop: in-flight documents finish, the sink is flushed, the
 * summary is printed, and only then does the JVM exit.
 */
final class Shutdown {

    private static volatile boolean inProgress;

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    private Shutdown(DocumentClassifier classifier, long waitSeconds) {
        hook = new Thread(() -> {
            inProgress = true;
            System.err.println("\ndoc-classify: stopping: finishing the documents in flight, then writing the summary (kill -9 aborts; --resume continues later)");
            classifier.stop();
            try {
                done.await(waitSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "docclassify-shutdown");
    }

    /** Installs the hook for one run of {@code classifier}; it waits at most {@code waitSeconds} for the run. */
    static Shutdown install(DocumentClassifier classifier, long waitSeconds) {
        Shutdown shutdown = new Shutdown(classifier, waitSeconds);
        Runtime.getRuntime().addShutdownHook(shutdown.hook);
        return shutdown;
    }

    /** Installs a hook that closes {@code service} (which stops its work in flight) when the JVM is told to end. */
    static void serving(AutoCloseable service) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            inProgress = true;
            System.err.println("\ndoc-classify: stopping the service: running jobs finish their documents in flight"
                    + " (continue them with \"resume\": true)");
            try {
                service.close();
            } catch (Exception e) {
                System.err.println("doc-classify: the service did not close cleanly: " + e);
            }
        }, "docclassify-shutdown"));
    }

    /** Whether the JVM is shutting down because of a signal (then {@code System.exit} must not be called). */
    static boolean inProgress() {
        return inProgress;
    }

    /** The run, its flush and its summary are done: let the JVM exit. */
    void runFinished() {
        done.countDown();
        if (!inProgress) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Shutdown began after all; the hook is already running and returns at once.
            }
        }
    }
}
