package io.docclassify.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.Stage;
import io.docclassify.spi.PriorResults;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every sink promises, whatever its store: each sink's test class extends this and says how to open
 * the sink on a store of its own and how to make that store slow, broken or crash. Idempotence on sha256,
 * resume through prior results, flush on close, failure propagation, back-pressure, concurrent writers, and
 * whole records only after a crash mid-batch.
 */
@Timeout(120)
public abstract class SinkContract {

    protected static final String SHA_A = "a".repeat(64);
    protected static final String SHA_B = "b".repeat(64);
    protected static final String SHA_C = "c".repeat(64);

    /**
     * A sink on this test's store with {@code batchSize}, no flush timer, and {@code faults} wired where the
     * store is reached. The first call finds the store empty; {@code resume} keeps what earlier sinks stored.
     */
    protected abstract BatchingSink open(boolean resume, int batchSize, Faults faults) throws Exception;

    /** The paths of the records the store holds now (read from the store itself, not through a sink). */
    protected abstract Set<String> storedPaths() throws Exception;

    /**
     * What a test does to the store under a sink: make it slow ({@link #stall}), refuse every write
     * ({@link #fail}), or crash in the middle of the next write ({@link #crashNextWrite}). A sink's test
     * calls {@link #beforeWrite} where its store is reached and {@link #crashNow} in the middle of a write.
     */
    protected static final class Faults {
        private boolean stalled;
        private boolean failing;
        private boolean crashArmed;

        public synchronized void stall() {
            stalled = true;
        }

        public synchronized void release() {
            stalled = false;
            notifyAll();
        }

        public synchronized void fail() {
            failing = true;
            notifyAll();
        }

        public synchronized void crashNextWrite() {
            crashArmed = true;
        }

        /** Blocks while the store is stalled; throws while it fails. */
        public synchronized void beforeWrite() throws IOException {
            while (stalled && !failing) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while the store was stalled");
                }
            }
            if (failing) {
                throw new IOException("the store refuses every write (a fault the test injected)");
            }
        }

        /** Whether the write in progress is to crash now (once); from then on the store fails. */
        public synchronized boolean crashNow() {
            if (!crashArmed) {
                return false;
            }
            crashArmed = false;
            failing = true;
            return true;
        }
    }

    private static DocumentRecord classified(String path, String sha) {
        return new DocumentRecord(path, sha, 12L, "text/plain", 1, 12,
                new Outcome.Classified("invoice", 0.9, Map.of("invoice", 0.9, "letter", 0.1)), "rules",
                Map.of("hash", 1L), 0);
    }

    private static DocumentRecord failed(String path, String sha) {
        return new DocumentRecord(path, sha, sha == null ? null : 5L, null, null, null,
                new Outcome.Failed(sha == null ? Stage.READ : Stage.EXTRACT, "parse_error", "broken"), null, Map.of(), 0);
    }

    private static DocumentRecord duplicate(String path, String sha) {
        return new DocumentRecord(path, sha, 12L, null, null, null, new Outcome.Duplicate(sha), null, Map.of(), 0);
    }

    private static String sha(int i) {
        return String.format("%064x", i + 1);
    }

    @Test
    void recordsReachTheStoreOnFlushOrWhenTheBatchIsFull_andCloseWritesTheRest() throws Exception {
        BatchingSink sink = open(false, 3, new Faults());
        sink.accept(classified("/in/1", sha(1)));
        sink.accept(classified("/in/2", sha(2)));
        assertThat(storedPaths()).as("two records wait for a batch of three").isEmpty();
        sink.accept(classified("/in/3", sha(3)));
        assertThat(storedPaths()).as("a full batch is written without flush()").hasSize(3);
        sink.accept(classified("/in/4", sha(4)));
        sink.flush();
        assertThat(storedPaths()).as("flush() writes a partial batch").hasSize(4);
        sink.accept(failed("/in/5", sha(5)));
        sink.close();
        assertThat(storedPaths()).as("close() flushes").containsExactlyInAnyOrder("/in/1", "/in/2", "/in/3", "/in/4",
                "/in/5");
        IOException closed = assertThrows(IOException.class, () -> sink.accept(classified("/in/6", sha(6))));
        assertThat(closed.getMessage()).contains("closed").contains("/in/6");
    }

    @Test
    void aResumedSink_knowsWhatEarlierRunsStored() throws Exception {
        try (BatchingSink sink = open(false, 100, new Faults())) {
            assertThat(sink.priorResults().size()).as("a new store").isZero();
            sink.accept(classified("/in/a", SHA_A));
            sink.accept(failed("/in/b", SHA_B));
            sink.accept(duplicate("/in/copy-of-a", SHA_A));
            sink.accept(duplicate("/in/c", SHA_C));
            sink.accept(failed("/in/gone", null));
        }
        try (BatchingSink resumed = open(true, 100, new Faults())) {
            PriorResults prior = resumed.priorResults();
            assertThat(prior.size()).isEqualTo(5);
            assertThat(prior.hasRecord("/in/a", SHA_A)).as("classified").isTrue();
            assertThat(prior.hasRecord("/in/b", SHA_B)).as("failed").isTrue();
            assertThat(prior.hasRecord("/in/copy-of-a", SHA_A)).as("duplicate").isTrue();
            assertThat(prior.hasRecord("/in/gone", null)).as("unreadable, recorded without sha256").isTrue();
            assertThat(prior.hasRecord("/in/a", SHA_B)).as("same path, other content").isFalse();
            assertThat(prior.hasRecord("/in/new", SHA_A)).as("same content, other path").isFalse();
            assertThat(prior.hasContent(SHA_A)).as("classified content is known").isTrue();
            assertThat(prior.hasContent(SHA_B)).as("failed content is known").isTrue();
            assertThat(prior.hasContent(SHA_C)).as("content recorded only as a duplicate is not").isFalse();
        }
    }

    @Test
    void storingARecordAgain_changesNothingAResumedRunSees() throws Exception {
        try (BatchingSink sink = open(false, 2, new Faults())) {
            sink.accept(classified("/in/a", SHA_A));
            sink.accept(classified("/in/a", SHA_A)); // the same record twice in one batch
        }
        try (BatchingSink again = open(true, 2, new Faults())) {
            again.accept(classified("/in/a", SHA_A)); // and in a later run
            again.accept(classified("/in/a-copy", SHA_A));
        }
        assertThat(new HashSet<>(storedPaths())).containsExactlyInAnyOrder("/in/a", "/in/a-copy");
        try (BatchingSink resumed = open(true, 2, new Faults())) {
            PriorResults prior = resumed.priorResults();
            assertThat(prior.hasRecord("/in/a", SHA_A)).isTrue();
            assertThat(prior.hasRecord("/in/a-copy", SHA_A)).isTrue();
            assertThat(prior.hasContent(SHA_A)).isTrue();
            assertThat(prior.hasContent(SHA_B)).isFalse();
        }
    }

    @Test
    void aFailedWrite_stopsTheSink_andEveryLaterCallSaysWhy() throws Exception {
        Faults faults = new Faults();
        BatchingSink sink = open(false, 2, faults);
        faults.fail();
        sink.accept(classified("/in/1", sha(1)));
        IOException first = assertThrows(IOException.class, () -> sink.accept(classified("/in/2", sha(2))),
                "the write of a full batch fails in the accept that filled it");
        IOException later = assertThrows(IOException.class, () -> sink.accept(classified("/in/3", sha(3))));
        assertThat(later.getMessage()).contains("an earlier write").contains("failed");
        assertThat(later.getCause()).isSameAs(first);
        assertThrows(IOException.class, sink::flush);
        assertThrows(IOException.class, sink::close);
        assertThat(storedPaths()).as("nothing written, nothing claimed").isEmpty();
    }

    @Test
    void aSlowStore_blocksProducersAtTheBound_andLosesNothing() throws Exception {
        Faults faults = new Faults();
        BatchingSink sink = open(false, 5, faults);
        faults.stall();
        AtomicReference<Throwable> error = new AtomicReference<>();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            producers.add(Thread.ofPlatform().name("producer-" + t).start(() -> {
                try {
                    for (int i = 0; i < 15; i++) {
                        sink.accept(classified("/in/" + thread + "/" + i, sha(thread * 15 + i)));
                    }
                } catch (Throwable e) {
                    error.set(e);
                }
            }));
        }
        // One producer writes the first batch and waits in the store; the others fill the buffer and block.
        waitUntil(() -> sink.buffered() == sink.bufferBound()
                && producers.stream().allMatch(p -> p.getState() == Thread.State.WAITING),
                "the buffer to fill and every producer to block");
        assertThat(sink.bufferBound()).as("a batch being written and twice the batch size waiting").isEqualTo(15);
        assertThat(producers).as("blocked in accept").allMatch(Thread::isAlive);
        faults.release();
        for (Thread producer : producers) {
            producer.join(30_000);
        }
        assertThat(error.get()).isNull();
        sink.close();
        assertThat(sink.maxBuffered()).isEqualTo(15);
        assertThat(storedPaths()).hasSize(60);
    }

    @Test
    void concurrentWriters_storeEveryRecord() throws Exception {
        int threads = 8;
        int each = 100;
        AtomicReference<Throwable> error = new AtomicReference<>();
        try (BatchingSink sink = open(false, 7, new Faults())) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < each; i++) {
                            sink.accept(classified("/in/" + thread + "/" + i, sha(thread * each + i)));
                        }
                    } catch (Throwable e) {
                        error.set(e);
                    }
                }));
            }
            for (Thread writer : writers) {
                writer.join(60_000);
            }
        }
        assertThat(error.get()).isNull();
        Set<String> stored = storedPaths();
        assertThat(stored).hasSize(threads * each);
        try (BatchingSink resumed = open(true, 7, new Faults())) {
            assertThat(resumed.priorResults().size()).isEqualTo(threads * each);
            assertThat(resumed.priorResults().hasRecord("/in/7/99", sha(7 * each + 99))).isTrue();
        }
    }

    @Test
    void aCrashMidBatch_leavesWholeRecordsOnly() throws Exception {
        Faults faults = new Faults();
        BatchingSink sink = open(false, 10, faults);
        List<DocumentRecord> first = new ArrayList<>();
        List<DocumentRecord> second = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            first.add(classified("/in/first/" + i, sha(i)));
            second.add(classified("/in/second/" + i, sha(100 + i)));
        }
        for (DocumentRecord record : first) {
            sink.accept(record);
        }
        faults.crashNextWrite();
        assertThrows(IOException.class, () -> {
            for (DocumentRecord record : second) {
                sink.accept(record);
            }
        }, "the crashed write stops the sink");
        assertThrows(IOException.class, sink::close, "a crashed sink writes nothing more");

        try (BatchingSink resumed = open(true, 10, new Faults())) {
            Set<String> stored = storedPaths();
            assertThat(stored).as("the batch before the crash").containsAll(first.stream().map(DocumentRecord::path).toList());
            Set<String> accepted = new HashSet<>();
            first.forEach(r -> accepted.add(r.path()));
            second.forEach(r -> accepted.add(r.path()));
            assertThat(accepted).as("nothing but accepted records").containsAll(stored);
            PriorResults prior = resumed.priorResults();
            assertThat(prior.size()).as("every stored record is a whole record").isEqualTo(stored.size());
            for (DocumentRecord record : second) {
                assertThat(prior.hasRecord(record.path(), record.sha256()))
                        .as("%s is either stored whole or not at all", record.path())
                        .isEqualTo(stored.contains(record.path()));
            }
        }
    }

    /** Polls {@code condition} until it holds; fails naming what never happened. */
    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 20 s waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
