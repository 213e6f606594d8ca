package io.docclassify.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.docclassify.ConfigurationException;
import io.docclassify.DocumentClassifier;
import io.docclassify.RunReport;
import io.docclassify.classify.RulesClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.contract.MixedCorpus;
import io.docclassify.contract.SequentialEngine;
import io.docclassify.sink.PgTestDatabase;
import io.docclassify.source.DocumentSources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Alerts: each condition lights when its figure passes the threshold, is logged, and stays listed for the summary. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunMonitorTest {

    @TempDir
    Path temp;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(RunMonitor.class);

    private Level level;

    @BeforeEach
    void captureLog() {
        level = logger.getLevel();
        logger.setLevel(Level.INFO);
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
        logger.setLevel(level);
    }

    @Test
    void failureRateOverThreshold_isLitLoggedAndListed() throws Exception {
        int files = MixedCorpus.create(temp, 20, 4);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RunMonitor monitor = new RunMonitor(RunMetrics.on(registry), AlertThresholds.defaults(), "sequential", 1);
        RunReport report;
        try (DocumentClassifier classifier = DocumentClassifier.builder().engine(new SequentialEngine())
                .classifier(new RulesClassifier(Taxonomy.builtIn())).meterRegistry(registry).listener(monitor).build()) {
            report = classifier.run(DocumentSources.directory(temp, false));
        }
        assertThat(report.failed()).isEqualTo(4);
        RunMonitor.Alert alert = alert(monitor, "failure_rate");
        assertThat(alert.active()).isTrue();
        assertThat(alert.value()).isEqualTo(4.0 / files);
        String expected = String.format(java.util.Locale.ROOT, "failure rate %.1f%% (4 of %d documents) is over 5.0%%",
                400.0 / files, files);
        assertThat(monitor.alertsRaised()).containsExactly(expected);
        // The first warning carries the figures of the moment the alert lit, which depend on when it was checked.
        assertThat(warnings()).anyMatch(line -> line.startsWith("Alert: failure rate "))
                .contains("Alerts during the run: " + expected);
        assertThat(monitor.snapshot()).containsEntry("failed", 4L).containsEntry("state", "finished");
    }

    @Test
    void failureRate_isNotJudgedBeforeTheMinimumOfDocuments() throws Exception {
        MixedCorpus.create(temp, 3, 1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RunMonitor monitor = new RunMonitor(RunMetrics.on(registry), AlertThresholds.defaults(), "sequential", 1);
        try (DocumentClassifier classifier = DocumentClassifier.builder().engine(new SequentialEngine())
                .classifier(new RulesClassifier(Taxonomy.builtIn())).meterRegistry(registry).listener(monitor).build()) {
            assertThat(classifier.run(DocumentSources.directory(temp, false)).failed()).isEqualTo(1);
        }
        assertThat(alert(monitor, "failure_rate").raised()).as("1 of 6 failed, but 6 < 20 documents").isFalse();
        assertThat(monitor.alertsRaised()).isEmpty();
        assertThat(warnings()).isEmpty();
    }

    @Test
    void queueDepth_lightsWhileOverThreshold_thenClearsButStaysListed() {
        RunMetrics metrics = RunMetrics.on(new SimpleMeterRegistry());
        RunMonitor monitor = new RunMonitor(metrics, AlertThresholds.defaults(), "local", 2);
        monitor.started();
        metrics.queueDepth(() -> 10_001);
        monitor.tick();
        assertThat(alert(monitor, "queue_depth").active()).isTrue();
        metrics.queueDepth(() -> 10_000);
        monitor.tick();
        RunMonitor.Alert cleared = alert(monitor, "queue_depth");
        assertThat(cleared.active()).as("10,000 is not over 10,000").isFalse();
        assertThat(cleared.raised()).isTrue();
        assertThat(cleared.peak()).isEqualTo(10_001);
        monitor.finished(emptyReport());
        assertThat(monitor.alertsRaised()).containsExactly("queue depth 10,001 is over 10,000 documents");
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                .contains("Alert: queue depth 10,001 is over 10,000 documents", "Alert cleared: queue depth");
    }

    @Test
    void workerMemory_overThreshold_readsTheHeapGauge() {
        RunMetrics metrics = RunMetrics.on(new SimpleMeterRegistry());
        RunMonitor monitor = new RunMonitor(metrics, new AlertThresholds(10_000, 0.05, 20, 0.8, 1024), "local", 1);
        monitor.started();
        monitor.tick();
        monitor.finished(emptyReport());
        RunMonitor.Alert alert = alert(monitor, "worker_memory");
        assertThat(alert.active()).isTrue();
        assertThat(alert.value()).as("heap bytes used, as the gauge read them").isGreaterThan(1024);
        assertThat(metrics.registry().get(RunMetrics.WORKER_MEMORY).tag("member", "local").gauge().value())
                .isGreaterThan(1024);
        assertThat(alert.message()).matches("worker memory [0-9,]+ MB is over 0 MB");
        assertThat(alert(monitor, "queue_depth").raised()).isFalse();
    }

    @Test
    void dbConnections_overShareOfThePool_readsHikariMeters() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RunMonitor monitor = new RunMonitor(RunMetrics.on(registry), AlertThresholds.defaults(), "local", 1);
        try (PgTestDatabase db = PgTestDatabase.create()) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(db.url());
            config.setMaximumPoolSize(5);
            config.setPoolName("alert-test");
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
            try (HikariDataSource pool = new HikariDataSource(config)) {
                monitor.started();
                List<Connection> held = new ArrayList<>();
                try {
                    for (int i = 0; i < 5; i++) {
                        held.add(pool.getConnection());
                    }
                    // HikariCP refreshes its pool figures at most once a second.
                    Awaitility.await("the pool alert").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                            .until(() -> {
                                monitor.tick();
                                return alert(monitor, "db_connections").active();
                            });
                    assertThat(alert(monitor, "db_connections").active()).as("5 of 5").isTrue();
                    @SuppressWarnings("unchecked")
                    Map<String, Map<String, Double>> pools = (Map<String, Map<String, Double>>) monitor.snapshot()
                            .get("dbPools");
                    assertThat(pools.get("alert-test")).containsEntry("active", 5.0).containsEntry("max", 5.0);
                } finally {
                    for (Connection connection : held) {
                        connection.close();
                    }
                }
                monitor.finished(emptyReport());
            }
        }
        assertThat(monitor.alertsRaised()).containsExactly("database pool 100% in use is over 80%");
    }

    @Test
    void thresholds_outOfRange_areRejectedWithHints() {
        assertThat(assertThrows(ConfigurationException.class, () -> new AlertThresholds(1, 5, 20, 0.8, 1))
                .getMessage()).isEqualTo("failure rate threshold must be between 0 and 1 (5% is 0.05), got 5.0");
        assertThat(assertThrows(ConfigurationException.class, () -> new AlertThresholds(1, 0.05, 20, 0, 1))
                .getMessage()).contains("(80% is 0.8), got 0.0");
        assertThat(assertThrows(ConfigurationException.class, () -> new AlertThresholds(-1, 0.05, 20, 0.8, 1))
                .getMessage()).isEqualTo("queue depth threshold must be >= 0, got -1");
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static RunMonitor.Alert alert(RunMonitor monitor, String name) {
        return monitor.alerts().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no alert " + name + " in " + monitor.alerts()));
    }

    private static RunReport emptyReport() {
        return new RunReport("local", Instant.now(), Duration.ofSeconds(1), 0, 0, 0, 0, 0, 0, Map.of(), Map.of(),
                Map.of(), false, 0);
    }
}
