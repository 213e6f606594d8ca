package io.docclassify.cli;

import io.docclassify.DocumentClassifier;
import io.docclassify.sink.JsonLinesSink;
import io.docclassify.spi.ResultSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Each job's records in {@code <jobs-dir>/<id>.jsonl}; states live in the service's memory only. */
final class FileJobStore implements JobStore {

    private final Path dir;
    private final int batchSize;

    FileJobStore(Path dir, int batchSize) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.batchSize = batchSize;
    }

    private Path file(Job job) {
        return dir.resolve(job.id() + ".jsonl");
    }

    @Override
    public ResultSink open(Job job, Job previous, DocumentClassifier classifier) throws IOException {
        Path file = file(job);
        if (previous != null && Files.exists(file(previous))) {
            // A copy, not the same file: the earlier job's results stay as they were when it stopped.
            Files.copy(file(previous), file, StandardCopyOption.REPLACE_EXISTING);
            return JsonLinesSink.open(file, JsonLinesSink.Mode.RESUME, batchSize, Duration.ofSeconds(1));
        }
        return JsonLinesSink.open(file, JsonLinesSink.Mode.CREATE, batchSize, Duration.ofSeconds(1));
    }

    @Override
    public void results(Job job, OutputStream out) throws IOException {
        Path file = file(job);
        if (!Files.exists(file)) {
            return;
        }
        // Up to the last complete line now: the sink may be in the middle of writing the next one.
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            long left = size;
            byte[] pending = new byte[0];
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                left -= n;
                int lastNewline = -1;
                for (int i = n - 1; i >= 0; i--) {
                    if (buffer[i] == '\n') {
                        lastNewline = i;
                        break;
                    }
                }
                if (lastNewline < 0) {
                    pending = concat(pending, buffer, n);
                    continue;
                }
                out.write(pending);
                out.write(buffer, 0, lastNewline + 1);
                pending = Arrays.copyOfRange(buffer, lastNewline + 1, n);
            }
        }
    }

    private static byte[] concat(byte[] head, byte[] tail, int n) {
        byte[] joined = Arrays.copyOf(head, head.length + n);
        System.arraycopy(tail, 0, joined, head.length, n);
        return joined;
    }

    @Override
    public void save(Job job) {
        // States are kept in memory; a restart of the service forgets them (use --db to keep them).
    }

    @Override
    public List<Job> load() {
        return List.of();
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        return dir.toString();
    }
}
