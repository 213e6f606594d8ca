package io.docclassify.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.docclassify.DocumentClassifier;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.RunReport;
import io.docclassify.concurrent.ManualTime;
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
import java.util.concurrent.atomic.AtomicBoolean;
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

/**
 * The database goes away: writes are retried, intake pauses with bounded memory, and a long outage stops the run.
 * Time is a clock the test moves, so no test waits out a backoff or an outage limit.
 */
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
    void unreachableLongerThanTheLimit_failsWithTheLimitAndHowToResume() throws Exception {
        ManualTime time = new ManualTime(ManualTime.Sleeps.ADVANCE); // each retry's wait passes at once
        AtomicReference<DataSource> target = new AtomicReference<>(simple(db.url()));
        JdbcResultSink sink = JdbcResultSink.builder(switchable(target)).batchSize(2).flushInterval(Duration.ZERO)
                .outageLimit(Duration.ofSeconds(2)).time(time).build();
        target.set(simple("jdbc:postgresql://127.0.0.1:1/test?user=postgres"));
        sink.accept(classified("/in/a.txt", "a".repeat(64)));
        IOException e = assertThrows(IOException.class, () -> sink.accept(classified("/in/b.txt", "b".repeat(64))));
        assertThat(e.getMessage()).contains("unreachable for 2 s").contains("outage limit 2 s")
                .contains("JdbcResultSink.outageLimit").contains("JdbcResultSink.resume").contains("not recorded");
        Duration waited = time.sleeps().stream().reduce(Duration.ZERO, Duration::plus);
        assertThat(waited).as("retried with backoff for the 2 s limit, then gave up")
                .isBetween(Duration.ofSeconds(2), Duration.ofMillis(2_100));
        assertThat(time.sleeps()).as("backoff from 100 ms, doubling").hasSizeGreaterThan(3)
                .allSatisfy(sleep -> assertThat(sleep).isLessThanOrEqualTo(Duration.ofSeconds(5)));
        IOException later = assertThrows(IOException.class, () -> sink.accept(classified("/in/c.txt", "c".repeat(64))));
        assertThat(later.getMessage()).contains("JdbcResultSink.resume");
        assertThrows(IOException.class, sink::close);
        assertThat(db.count("SELECT count(*) FROM documents")).as("nothing written, nothing claimed").isZero();
    }

    @Test
    void whileTheDatabaseIsAway_acceptBlocksAtTheBound_andEverythingIsWrittenWhenItIsBack() throws Exception {
        ManualTime time = new ManualTime(ManualTime.Sleeps.BLOCK); // a retry waits until the test moves time
        AtomicReference<DataSource> target = new AtomicReference<>(simple(db.url()));
        DataSource real = target.get();
        try (JdbcResultSink sink = JdbcResultSink.builder(switchable(target)).batchSize(5)
                .flushInterval(Duration.ZERO).outageLimit(Duration.ofSeconds(60)).time(time).build()) {
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
            waitUntil(() -> sink.buffered() == sink.bufferBound() && time.sleeping() == 1
                    && producers.stream().allMatch(p -> p.getState() == Thread.State.WAITING
                            || p.getState() == Thread.State.TIMED_WAITING || p.getState() == Thread.State.BLOCKED),
                    Duration.ofSeconds(20), "the buffer to fill and all producers to block");
            assertThat(sink.buffered()).as("a batch being retried plus twice the batch size waiting")
                    .isEqualTo(sink.bufferBound()).isEqualTo(15);
            assertThat(producers).as("producers blocked in accept").allMatch(Thread::isAlive);
            target.set(real);
            time.advance(Duration.ofSeconds(5)); // the retry's wait is over: it finds the database back
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

        // Time is the test's: a retry waits until the outage thread moves it, so the server is down for as
        // many retries as the test says, and nothing waits for a guessed number of seconds.
        ManualTime time = new ManualTime(ManualTime.Sleeps.BLOCK);
        CountDownLatch midRun = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Classifier stopsTheServerMidRun = new Classifier() {
            @Override
            public String id() {
                return "slow-v1";
            }

            @Override
            public Outcome.Classified classify(ExtractedText text) {
                if (calls.incrementAndGet() == 60) {
                    midRun.countDown();
                    try {
                        stopped.await(); // the run goes on only once the server is down
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return new Outcome.Classified("doc", 1.0, Map.of("doc", 1.0));
            }
        };

        AtomicInteger callsWhenStopped = new AtomicInteger();
        AtomicInteger callsWhenRestarted = new AtomicInteger();
        AtomicReference<Throwable> outageError = new AtomicReference<>();
        AtomicBoolean runOver = new AtomicBoolean();
        Thread outage = new Thread(() -> {
            try {
                if (midRun.await(60, TimeUnit.SECONDS)) {
                    pgCtl("stop");
                    callsWhenStopped.set(calls.get());
                    stopped.countDown();
                    time.awaitSleepers(1, Duration.ofSeconds(60)); // the sink retries and waits for time to pass
                    callsWhenRestarted.set(calls.get());
                    pgCtl("start");
                    while (!runOver.get()) { // each retry's wait passes once the test moves time
                        if (time.sleeping() > 0) {
                            time.advance(Duration.ofSeconds(5));
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                    }
                }
            } catch (Throwable e) {
                outageError.set(e);
                stopped.countDown();
            } finally {
                ensureRunning();
            }
        }, "pg-outage");

        RunReport report;
        int bound;
        int max;
        try {
            outage.start();
            try (DocumentClassifier classifier = DocumentClassifier.builder().engine(new SequentialEngine())
                            .classifier(stopsTheServerMidRun).build();
                    JdbcResultSink sink = JdbcResultSink.builder(db.url()).batchSize(10)
                            .flushInterval(Duration.ZERO).outageLimit(Duration.ofSeconds(90)).time(time).build()) {
                report = classifier.run(DocumentSources.directory(folder, false), sink);
                bound = sink.bufferBound();
                max = sink.maxBuffered();
                assertThat(sink.rejected()).isZero();
                runOver.set(true);
            }
        } finally {
            runOver.set(true);
            outage.interrupt();
            outage.join(30_000);
            ensureRunning();
        }
        System.out.printf("outage test: %d retries while the server was away (%s of backoff on the test's clock),"
                        + " max records held %d (bound %d), %d classifier calls, %d files, %d distinct%n",
                time.sleeps().size(), time.sleeps().stream().reduce(Duration.ZERO, Duration::plus), max, bound,
                calls.get(), files.size(), distinct.size());

        assertThat(outageError.get()).isNull();
        assertThat(time.sleeps()).as("the sink retried while the server was down").isNotEmpty();
        assertThat(report.stopped()).isFalse();
        assertThat(max).as("records held in memory while the database was away").isLessThanOrEqualTo(bound);
        assertThat(callsWhenRestarted.get() - callsWhenStopped.get())
                .as("documents classified while the database was away: intake paused at the sink's bound")
                .isLessThanOrEqualTo(bound);
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
