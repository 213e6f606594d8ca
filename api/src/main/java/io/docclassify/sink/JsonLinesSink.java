package io.docclassify.sink;

import io.docclassify.concurrent.TimeSource;
import io.docclassify.run.RunMetrics;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Writes records to a JSON Lines file, in batches, never leaving a half-written line behind.
 *
 * <p>Thread-safe; buffering, the flush timer and back-pressure are {@link BatchingSink}'s. Each batch is one
 * append of whole lines; if a crash cuts one short, opening the file with {@link Mode#RESUME} drops the cut
 * line, so the file holds whole records only. In resume mode the records already in the file tell the run
 * which documents are done. {@link #flush()} also forces the file to the disk.
 */
public final class JsonLinesSink extends BatchingSink {

    /** How to treat a file that already exists. */
    public enum Mode {
        /** Refuse an existing non-empty file, so no earlier results are lost by mistake. */
        CREATE,
        /** Replace an existing file. */
        OVERWRITE,
        /** Keep an existing file's records, skip the documents they cover, and append. */
        RESUME
    }

    public static final int DEFAULT_BATCH_SIZE = BatchingSink.DEFAULT_BATCH_SIZE;
    public static final Duration DEFAULT_FLUSH_INTERVAL = BatchingSink.DEFAULT_FLUSH_INTERVAL;

    private JsonLinesSink(JsonLinesWriter writer, int batchSize, Duration flushInterval, TimeSource time) {
        super(writer, batchSize, flushInterval, RunMetrics.none(), time);
    }

    /** Opens {@code file} with the default batch size (100) and flush interval (1 s). */
    public static JsonLinesSink open(Path file, Mode mode) throws IOException {
        return open(file, mode, DEFAULT_BATCH_SIZE, DEFAULT_FLUSH_INTERVAL);
    }

    /**
     * Opens {@code file} for writing.
     *
     * @param flushInterval the longest a record waits in the buffer; zero writes only on size, flush and close
     * @throws io.docclassify.ConfigurationException when the file exists in {@link Mode#CREATE} mode, or holds
     *     lines that are not records in {@link Mode#RESUME} mode
     */
    public static JsonLinesSink open(Path file, Mode mode, int batchSize, Duration flushInterval) throws IOException {
        return open(file, mode, batchSize, flushInterval, TimeSource.system(), UnaryOperator.identity());
    }

    /** The same, with the time and the channel a test controls. */
    static JsonLinesSink open(Path file, Mode mode, int batchSize, Duration flushInterval, TimeSource time,
            UnaryOperator<WritableByteChannel> wrap) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mode, "mode");
        checkBatchSize("JsonLinesSink.batchSize", batchSize);
        checkFlushInterval("JsonLinesSink.flushInterval", flushInterval);
        return new JsonLinesSink(JsonLinesWriter.open(file, mode, wrap), batchSize, flushInterval, time);
    }
}
