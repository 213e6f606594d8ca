package io.docclassify.sink;

import io.docclassify.ConfigurationException;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.spi.PriorResults;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends batches of records to a JSON Lines file, each batch as one write of whole lines.
 *
 * <p>If a crash cuts a write short, the file ends with a cut line; {@link #open} in resume mode drops it,
 * so the file holds whole records only. Called by one thread at a time ({@link BatchingSink} sees to it).
 */
final class JsonLinesWriter implements BatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesWriter.class);

    private final Path file;
    private final FileChannel channel;
    private final WritableByteChannel out;
    private final Known known;

    private JsonLinesWriter(Path file, FileChannel channel, WritableByteChannel out, Known known) {
        this.file = file;
        this.channel = channel;
        this.out = out;
        this.known = known;
    }

    /**
     * Opens {@code file}; writes go through {@code wrap(channel)}, which tests use to stall or break them.
     *
     * @throws ConfigurationException when the file exists in {@link JsonLinesSink.Mode#CREATE} mode, or holds
     *     lines that are not records in {@link JsonLinesSink.Mode#RESUME} mode
     */
    static JsonLinesWriter open(Path file, JsonLinesSink.Mode mode, UnaryOperator<WritableByteChannel> wrap)
            throws IOException {
        if (Files.isDirectory(file)) {
            throw new ConfigurationException("JsonLinesSink.file", file, "the results file " + file
                    + " is a directory; name a file such as " + file.resolve("results.jsonl"));
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        boolean exists = Files.exists(file) && Files.size(file) > 0;
        if (mode == JsonLinesSink.Mode.CREATE && exists) {
            throw new ConfigurationException("JsonLinesSink.Mode", mode, "the results file " + file
                    + " already holds results; open it with JsonLinesSink.Mode.RESUME to continue that run"
                    + " or JsonLinesSink.Mode.OVERWRITE to replace it");
        }
        Known known = new Known();
        if (mode == JsonLinesSink.Mode.RESUME && exists) {
            boolean complete = RecordJson.endsWithNewline(file);
            known.load(file, complete);
            if (!complete) {
                dropCutLastLine(file);
            }
            LOG.info("Resuming {}: {} records already there", file, known.records);
        }
        FileChannel channel = mode == JsonLinesSink.Mode.RESUME
                ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
        return new JsonLinesWriter(file, channel, wrap.apply(channel), known);
    }

    @Override
    public void write(List<DocumentRecord> batch) throws IOException {
        StringBuilder lines = new StringBuilder(batch.size() * 400);
        for (DocumentRecord record : batch) {
            lines.append(RecordJson.toJson(record)).append('\n');
        }
        ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    @Override
    public void sync() throws IOException {
        channel.force(false);
    }

    @Override
    public PriorResults priorResults() {
        return known;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String description() {
        return "results file " + file;
    }

    @Override
    public String kind() {
        return "jsonl";
    }

    private static void dropCutLastLine(Path file) throws IOException {
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
                        throw new ConfigurationException("JsonLinesSink.Mode", JsonLinesSink.Mode.RESUME,
                                "cannot resume " + file + ": line " + lineNumber + " is not a record ("
                                        + e.getMessage() + "); fix or remove that line, or open the file with"
                                        + " JsonLinesSink.Mode.OVERWRITE", e);
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
