package io.docclassify;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.spi.ResultSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A sink that keeps records in memory and counts every call made to it. Thread-safe. */
final class ListSink implements ResultSink {

    final List<DocumentRecord> records = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public void accept(DocumentRecord record) {
        calls.incrementAndGet();
        records.add(record);
    }

    @Override
    public void flush() {
        calls.incrementAndGet();
    }

    @Override
    public void close() {
        calls.incrementAndGet();
    }

    /** The one record of {@code file}; fails when there is none or more than one. */
    DocumentRecord only(Path file) {
        List<DocumentRecord> matching = records.stream().filter(r -> r.path().equals(file.toString())).toList();
        assertThat(matching).as("records for %s among %s", file, records).hasSize(1);
        return matching.get(0);
    }

    /** The failure of {@code file}, checked for its stage, reason and a message. */
    Outcome.Failed failed(Path file, Stage stage, String reason) {
        DocumentRecord record = only(file);
        assertThat(record.outcome()).as("outcome of %s", file).isInstanceOf(Outcome.Failed.class);
        Outcome.Failed failed = (Outcome.Failed) record.outcome();
        assertThat(failed.stage()).as("stage of %s: %s", file, failed).isEqualTo(stage);
        assertThat(failed.reason()).as("reason of %s: %s", file, failed).isEqualTo(reason);
        assertThat(failed.message()).as("message of %s", file).isNotBlank();
        return failed;
    }
}
