package io.docclassify.contract;

import io.docclassify.DocumentRecord;
import io.docclassify.spi.ResultSink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A sink that keeps records in memory, for tests; it can be told to fail after a number of records. */
public final class CollectingSink implements ResultSink {

    private final List<DocumentRecord> records = new ArrayList<>();
    private final int failAfter;

    public CollectingSink() {
        this(Integer.MAX_VALUE);
    }

    /** A sink whose {@code accept} throws an {@link IOException} once it holds {@code failAfter} records. */
    public CollectingSink(int failAfter) {
        this.failAfter = failAfter;
    }

    @Override
    public synchronized void accept(DocumentRecord record) throws IOException {
        if (records.size() >= failAfter) {
            throw new IOException("disk full (test sink fails after " + failAfter + " records)");
        }
        records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    public synchronized List<DocumentRecord> records() {
        return List.copyOf(records);
    }
}
