package io.docclassify.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.docclassify.DocumentClassifier;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.RunReport;
import io.docclassify.contract.Corpus;
import io.docclassify.contract.SequentialEngine;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

/** The database goes away: writes are retried, intake pauses with bounded memory, and a long outage stops the run. */
@Timeout(180)
class JdbcResultSinkOutageTest {

    private static final String PG_CTLCLUSTER = "/usr/bin/pg_ctlcluster";

    @RegisterExtension
    final PgTestDatabase db = PgTestDatabase.perTest();

    private static DocumentRecord classified(String path, String sha) {
        return new DocumentRecord(path, sha, 12L, "text/plain", 1, 12,
                new Outcome.Classified("invoice", 0.9, Map.of("invoice", 0.9)), "rules", Map.of(), 0);
    }

    /** A DataSource whose target the test switches, here from the real server to a port nobody listens on. */
    private static DataSource switchable(AtomicReference<DataSource> target) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    try {
                        return method.invoke(target.get(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static PGSimpleDataSource simple(String url) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(url);
        source.setConnectTimeout(2);
        return source;
    }

    @Test
    void unreachableLongerThanTheLimit_failsWithTheLimitAndHowToResume_inBoundedTime() throws Exception {
        AtomicReference<DataSource> target = new AtomicReference<>(simple(db.url()));
        JdbcResultSink sink = JdbcResultSink.builder(switchable(target)).batchSize(2).flushInterval(Duration.ZERO)
                .outageLimit(Duration.ofSeconds(2)).build();
        target.set(simple("jdbc:postgresql://127.0.0.1:1/test?user=postgres"));
        sink.accept(classified("/in/a.txt", "a".repeat(64)));
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> sink.accept(classified("/in/b.txt", "b".repeat(64))));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(e.getMessage()).contains("unreachable for 2 s").contains("outage limit 2 s").contains("--resume")
                .contains("not recorded");
        assertThat(millis).as("retried for the 2 s limit, then gave up").isBetween(1_900L, 8_000L);
        IOException later = assertThrows(IOException.class, () -> sink.accept(classified("/in/c.txt", "c".repeat(64))));
        assertThat(later.getMessage()).contains("--resume");
        assertThrows(IOException.class, sink::close);
        assertThat(db.count("SELECT count(*) FROM documents")).as("nothing written, nothing claimed").isZero();
    }

    @Test
    void whileTheDatabaseIsAway_acceptBlocksAtTheBound_andEverythingIsWrittenWhenItIsBack() throws Exception {
        AtomicReference<DataSource> target = new AtomicReference<>(simple(db.url()));
        DataSource real = target.get();
        try (JdbcResultSink sink = JdbcResultSink.builder(switchable(target)).batchSize(5)
                .flushInterval(Duration.ZERO).outageLimit(Duration.ofSeconds(60)).build()) {
            target.set(simple("jdbc:postgresql://127.0.0.1:1/test?user=postgres"));
            List<Thread> producers = new java.util.ArrayList<>();
            AtomicReference<Throwable> error = new AtomicReference<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                producers.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < 25; i++) {
                            String sha = String.format("%064x", thread * 1000 + i);
                            sink.accept(classified("/in/" + thread + "/" + i + ".txt", sha));
                        }
                    } catch (Throwable e) {
                        error.set(e);
                    }
                }));
            }
            // Wait for the state under test, not for a guessed time: the buffer full and every producer parked.
            waitUntil(() -> sink.buffered() == sink.bufferBound()
                    && producers.stream().allMatch(p -> p.getState() == Thread.State.WAITING
                            || p.getState() == Thread.State.TIMED_WAITING || p.getState() == Thread.State.BLOCKED),
                    Duration.ofSeconds(20), "the buffer to fill and all producers to block");
            assertThat(sink.buffered()).as("a batch being retried plus twice the batch size waiting")
                    .isEqualTo(sink.bufferBound()).isEqualTo(15);
            assertThat(producers).as("producers blocked in accept").allMatch(Thread::isAlive);
            target.set(real);
            for (Thread producer : producers) {
                producer.join(30_000);
            }
            assertThat(error.get()).isNull();
            sink.flush();
            assertThat(sink.maxBuffered()).isEqualTo(15);
        }
        assertThat(db.count("SELECT count(*) FROM documents")).isEqualTo(100);
        assertThat(db.count("SELECT count(*) FROM document_paths")).isEqualTo(100);
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; fails naming what never happened. */
    private static void waitUntil(BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    @Test
    void serverStoppedMidRun_runFinishesWithEveryDocument_andMemoryStaysBounded() throws Exception {
        String url = System.getenv().getOrDefault("DOCCLASSIFY_TEST_JDBC_URL", PgTestDatabase.DEFAULT_URL);
        Assumptions.assumeTrue(Files.isExecutable(Path.of(PG_CTLCLUSTER)),
                "outage test skipped: " + PG_CTLCLUSTER + " is not available to stop and start the server");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "outage test skipped: only root may stop and start the PostgreSQL cluster");
        Assumptions.assumeTrue(url.contains("//127.0.0.1:") || url.contains("//localhost:"),
                "outage test skipped: the test server " + url + " is not local");

        Path folder = Corpus.root().resolve("business_docs");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        Set<String> distinct = new HashSet<>();
        for (Path file : files) {
            distinct.add(sha256(file));
        }

        CountDownLatch midRun = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        AtomicLong lastCall = new AtomicLong(System.nanoTime());
        AtomicLong longestGap = new AtomicLong();
        Classifier slow = new Classifier() {
            @Override
            public String id() {
                return "slow-v1";
            }

            @Override
            public Outcome.Classified classify(ExtractedText text) {
                long now = System.nanoTime();
                longestGap.accumulateAndGet(now - lastCall.getAndSet(now), Math::max);
                if (calls.incrementAndGet() == 60) {
                    midRun.countDown();
                }
                try {
                    Thread.sleep(8);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new Outcome.Classified("doc", 1.0, Map.of("doc", 1.0));
            }
        };

        AtomicLong downMillis = new AtomicLong();
        Thread outage = new Thread(() -> {
            try {
                if (midRun.await(60, TimeUnit.SECONDS)) {
                    long start = System.nanoTime();
                    pgCtl("stop");
                    Thread.sleep(4_000);
                    pgCtl("start");
                    downMillis.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ensureRunning();
            }
        }, "pg-outage");

        RunReport report;
        int bound;
        int max;
        try {
            outage.start();
            try (DocumentClassifier classifier = DocumentClassifier.builder().engine(new SequentialEngine()).workers(1)
                            .classifier(slow).build();
                    JdbcResultSink sink = JdbcResultSink.builder(db.url()).batchSize(10)
                            .flushInterval(Duration.ofMillis(200)).outageLimit(Duration.ofSeconds(90)).build()) {
                report = classifier.run(DocumentSources.directory(folder, false), sink);
                bound = sink.bufferBound();
                max = sink.maxBuffered();
                assertThat(sink.rejected()).isZero();
            }
            outage.join(30_000);
        } finally {
            outage.interrupt();
            outage.join(30_000);
            ensureRunning();
        }
        System.out.printf("outage test: server down/up cycle %d ms, longest pause between classifier calls %d ms,"
                        + " max records held %d (bound %d), %d classifier calls, %d files, %d distinct%n",
                downMillis.get(), TimeUnit.NANOSECONDS.toMillis(longestGap.get()), max, bound, calls.get(),
                files.size(), distinct.size());

        assertThat(downMillis.get()).as("the server was stopped and started during the run").isGreaterThan(3_000);
        assertThat(report.stopped()).isFalse();
        assertThat(max).as("records held in memory while the database was away").isLessThanOrEqualTo(bound);
        assertThat(TimeUnit.NANOSECONDS.toMillis(longestGap.get())).as("intake paused while the database was away")
                .isGreaterThan(2_000);
        assertThat(db.count("SELECT count(*) FROM documents")).isEqualTo(distinct.size());
        assertThat(db.count("SELECT count(*) FROM document_paths")).isEqualTo(files.size());
        assertThat(db.count("SELECT count(DISTINCT path) FROM document_paths")).isEqualTo(files.size());
        assertThat(db.count("SELECT count(*) FROM unread_paths")).isZero();
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void pgCtl(String action) {
        try {
            Process process = new ProcessBuilder(PG_CTLCLUSTER, "--skip-systemctl-redirect", "15", "main", action)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 && !"start".equals(action)) {
                throw new IllegalStateException("pg_ctlcluster " + action + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("pg_ctlcluster " + action + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the server when it is not running (a start of a running cluster only complains). */
    private static void ensureRunning() {
        boolean wasInterrupted = Thread.interrupted();
        pgCtl("start");
        if (wasInterrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
