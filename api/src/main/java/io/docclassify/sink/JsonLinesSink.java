package io.docclassify.sink;

import io.docclassify.ConfigurationException;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.spi.PriorResults;
import io.docclassify.spi.ResultSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records to a JSON Lines file, in batches, never leaving a half-written line behind.
 *
 * <p>Thread-safe. Records are buffered and written when {@code batchSize} records are waiting or
 * {@code flushInterval} has passed since the last write (a daemon timer sees to that when no
 * record comes), and on {@link #flush()} and {@link #close()}. Each batch is one append of whole lines; if a crash cuts one short, opening the
 * file with {@link Mode#RESUME} drops the cut line, so the file holds whole records only. In
 * resume mode the records already in the file tell the run which documents are done.
 */
public final class JsonLinesSink implements ResultSink {

    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesSink.class);

    /** How to treat a file that already exists. */
    public enum Mode {
        /** Refuse an existing non-empty file, so no earlier results are lost by mistake. */
        CREATE,
        /** Replace an existing file. */
        OVERWRITE,
        /** Keep an existing file's records, skip the documents they cover, and append. */
        RESUME
    }

    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);

    private final Path file;
    private final FileChannel channel;
    private final int batchSize;
    private final long flushIntervalNanos;
    private final Known known;
    private final StringBuilder buffer = new StringBuilder();
    private int buffered;
    private long lastWrite = System.nanoTime();
    private final ScheduledExecutorService timer;
    private boolean closed;
    private IOException failure;

    private JsonLinesSink(Path file, FileChannel channel, int batchSize, Duration flushInterval, Known known) {
        this.file = file;
        this.channel = channel;
        this.batchSize = batchSize;
        this.flushIntervalNanos = flushInterval.toNanos();
        this.known = known;
        if (flushInterval.isZero()) {
            timer = null;
        } else {
            timer = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "docclassify-jsonl-flush");
                thread.setDaemon(true);
                return thread;
            });
            long millis = Math.max(1, flushInterval.toMillis());
            timer.scheduleWithFixedDelay(this::writeIfDue, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void writeIfDue() {
        if (!closed && buffered > 0 && System.nanoTime() - lastWrite >= flushIntervalNanos) {
            try {
                writeBuffer();
            } catch (IOException e) {
                // Remembered in `failure`: the next accept, flush or close reports it and stops the run.
                LOG.warn("Writing results to {} failed: {}", file, e.toString());
            }
        }
    }

    /** Opens {@code file} with the default batch size (100) and flush interval (1 s). */
    public static JsonLinesSink open(Path file, Mode mode) throws IOException {
        return open(file, mode, DEFAULT_BATCH_SIZE, DEFAULT_FLUSH_INTERVAL);
    }

    /**
     * Opens {@code file} for writing.
     *
     * @throws ConfigurationException when the file exists in {@link Mode#CREATE} mode, or holds lines
     *     that are not records in {@link Mode#RESUME} mode
     */
    public static JsonLinesSink open(Path file, Mode mode, int batchSize, Duration flushInterval) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mode, "mode");
        if (batchSize < 1) {
            throw new ConfigurationException("batch size must be >= 1, got " + batchSize);
        }
        if (flushInterval.isNegative()) {
            throw new ConfigurationException("flush interval must be >= 0, got " + flushInterval);
        }
        if (Files.isDirectory(file)) {
            throw new ConfigurationException("output " + file + " is a directory; name a file such as " + file.resolve("results.jsonl"));
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        boolean exists = Files.exists(file) && Files.size(file) > 0;
        if (mode == Mode.CREATE && exists) {
            throw new ConfigurationException("output " + file
                    + " already holds results; pass --resume to continue that run or --overwrite to replace it");
        }
        Known known = new Known();
        if (mode == Mode.RESUME && exists) {
            boolean complete = RecordJson.endsWithNewline(file);
            known.load(file, complete);
            if (!complete) {
                dropCutLastLine(file);
            }
            LOG.info("Resuming {}: {} records already there", file, known.records);
        }
        FileChannel channel = mode == Mode.RESUME
                ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
        return new JsonLinesSink(file, channel, batchSize, flushInterval, known);
    }

    @Override
    public void accept(DocumentRecord record) throws IOException {
        String line = RecordJson.toJson(record);
        synchronized (this) {
            if (closed) {
                throw new IOException("results file " + file + " is closed; record for " + record.path() + " not written");
            }
            buffer.append(line).append('\n');
            buffered++;
            if (buffered >= batchSize || System.nanoTime() - lastWrite >= flushIntervalNanos) {
                writeBuffer();
            }
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (!closed) {
            writeBuffer();
            channel.force(false);
        }
    }

    @Override
    public PriorResults priorResults() {
        return known;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            if (timer != null) {
                timer.shutdownNow();
            }
            channel.close();
        }
    }

    private void writeBuffer() throws IOException {
        if (failure != null) {
            throw new IOException("an earlier write to " + file + " failed; no record is written after it", failure);
        }
        if (buffered > 0) {
            ByteBuffer bytes = ByteBuffer.wrap(buffer.toString().getBytes(StandardCharsets.UTF_8));
            try {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            } catch (IOException e) {
                // Part of the batch may be on disk: writing it again could put a cut line mid-file.
                // Refuse all further writes; a resumed run drops the cut last line and redoes the rest.
                failure = e;
                throw e;
            }
            buffer.setLength(0);
            buffered = 0;
        }
        lastWrite = System.nanoTime();
    }

    private static void dropCutLastLine(Path file) throws IOException {
        if (RecordJson.endsWithNewline(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long end = channel.size();
            ByteBuffer one = ByteBuffer.allocate(1);
            long keep = 0;
            for (long at = end - 1; at >= 0; at--) {
                one.clear();
                channel.read(one, at);
                if (one.get(0) == '\n') {
                    keep = at + 1;
                    break;
                }
            }
            LOG.warn("{} ends with a half-written line (an interrupted run); dropping its last {} bytes", file, end - keep);
            channel.truncate(keep);
        }
    }

    /** The records a resumed file already holds. */
    private static final class Known implements PriorResults {
        private final Set<String> pathAndContent = ConcurrentHashMap.newKeySet();
        private final Set<String> contents = ConcurrentHashMap.newKeySet();
        private long records;

        /** Reads the records of {@code file}; unless {@code complete}, its last line is cut and left out. */
        void load(Path file, boolean complete) throws IOException {
            long lineNumber = 0;
            try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
                Iterator<String> it = lines.iterator();
                while (it.hasNext()) {
                    String line = it.next();
                    lineNumber++;
                    if (line.isBlank() || (!complete && !it.hasNext())) {
                        continue;
                    }
                    DocumentRecord record;
                    try {
                        record = RecordJson.fromJson(line);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigurationException("cannot resume " + file + ": line " + lineNumber
                                + " is not a record (" + e.getMessage() + "); fix or remove that line, or use --overwrite", e);
                    }
                    records++;
                    pathAndContent.add(key(record.path(), record.sha256()));
                    if (record.sha256() != null && !(record.outcome() instanceof Outcome.Duplicate)) {
                        contents.add(record.sha256());
                    }
                }
            }
        }

        private static String key(String path, String sha256) {
            return (sha256 == null ? "-" : sha256) + '\0' + path;
        }

        @Override
        public boolean hasRecord(String path, String sha256) {
            return pathAndContent.contains(key(path, sha256));
        }

        @Override
        public boolean hasContent(String sha256) {
            return contents.contains(sha256);
        }

        @Override
        public long size() {
            return records;
        }
    }
}
