package io.docclassify.cli;

import io.docclassify.DocumentClassifier;
import io.docclassify.spi.ResultSink;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Where the jobs of {@code doc-classify serve} keep their results and their states: a JSON Lines file per job
 * (states in memory only), or PostgreSQL with {@code --db} (states survive a restart of the service).
 */
interface JobStore extends AutoCloseable {

    /**
     * Opens the sink {@code job}'s records go to.
     *
     * @param previous the stopped or failed job that {@code job} continues, or {@code null}: its records are
     *     kept and the documents they cover are skipped
     */
    ResultSink open(Job job, Job previous, DocumentClassifier classifier) throws IOException;

    /** Writes the records stored for {@code job} so far, one JSON object per line, without loading them at once. */
    void results(Job job, OutputStream out) throws IOException;

    /** Keeps the job's state, times and counts (a file store keeps nothing beyond the process). */
    void save(Job job) throws IOException;

    /** The jobs an earlier service process saved, oldest first. */
    List<Job> load() throws IOException;

    @Override
    void close() throws IOException;
}
