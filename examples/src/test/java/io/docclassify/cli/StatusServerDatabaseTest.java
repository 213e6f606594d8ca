package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docclassify.DocumentClassifier;
import io.docclassify.RunReport;
import io.docclassify.contract.MixedCorpus;
import io.docclassify.contract.SteppedClassifier;
import io.docclassify.run.AlertThresholds;
import io.docclassify.run.RunMetrics;
import io.docclassify.run.RunMonitor;
import io.docclassify.run.Scrape;
import io.docclassify.run.StatusServer;
import io.docclassify.sink.JdbcResultSink;
import io.docclassify.sink.PgTestDatabase;
import io.docclassify.source.DocumentSources;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on the local engine into PostgreSQL with the status server: the server is scraped while the run
 * waits at a gate, and at the end its figures equal the run's report and what {@code doc-classify status}
 * reads from the database.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StatusServerDatabaseTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void scrapedWhileRunning_andAtTheEnd_agreesWithTheReportAndTheStatusCommand() throws Exception {
        Path input = temp.resolve("in");
        int files = MixedCorpus.create(input, 40, 4);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RunMetrics metrics = RunMetrics.on(registry);
        RunMonitor monitor = new RunMonitor(metrics, AlertThresholds.defaults(), "local", 2);
        SteppedClassifier gate = new SteppedClassifier();
        try (PgTestDatabase db = PgTestDatabase.create()) {
            long runId;
            RunReport report;
            JsonNode after;
            try (DocumentClassifier classifier = DocumentClassifier.builder().engine("local").workers(2).chunkSize(2)
                    .classifier(gate).metrics(metrics).listener(monitor).build();
                    JdbcResultSink sink = JdbcResultSink.builder(db.url()).metrics(metrics).batchSize(5)
                            .run("local", "{}").build();
                    StatusServer server = StatusServer.start(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), registry, monitor)) {
                runId = sink.runId();
                monitor.total(files);
                sink.recordTotal(files);
                CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> {
                    try {
                        return classifier.run(DocumentSources.directory(input, false), sink);
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                gate.allow(10);
                await(() -> gate.waiting() == 2 && ((Number) monitor.snapshot().get("classified")).longValue() == 10,
                        "both workers at the gate after 10 classifications");

                JsonNode during = JSON.readTree(Scrape.get(server.url() + "api/run").body());
                String scrape = Scrape.get(server.url() + "metrics").body();
                assertThat(during.get("state").asText()).isEqualTo("running");
                assertThat(during.get("classified").asLong()).isEqualTo(10);
                assertThat(during.get("inFlight").asLong()).as("documents waiting at the gate").isEqualTo(2);
                assertThat(during.get("done").asLong()).isBetween(10L, files - 2L);
                assertThat(Scrape.sum(scrape, "docclassify_documents_total")).isEqualTo(during.get("recorded").asDouble());
                assertThat(Scrape.sum(scrape, "docclassify_inflight")).isEqualTo(2);
                assertThat(Scrape.sum(scrape, "hikaricp_connections_max", "pool=\"docclassify-results\""))
                        .as("the sink's pool reports through HikariCP's Micrometer tracker").isEqualTo(4);
                assertThat(Scrape.sum(scrape, "docclassify_member_documents_total", "member=\"docclassify-worker-"))
                        .isEqualTo(during.get("recorded").asDouble());

                gate.openFully();
                report = run.get(120, TimeUnit.SECONDS);
                sink.flush();
                after = JSON.readTree(Scrape.get(server.url() + "api/run").body());
                String finalScrape = Scrape.get(server.url() + "metrics").body();
                assertThat(Scrape.sum(finalScrape, "docclassify_sink_batch_size_sum", "sink=\"jdbc\""))
                        .as("records written in batches").isEqualTo(files);
                assertThat(Scrape.sum(finalScrape, "docclassify_documents_total")).isEqualTo(files);
            }
            assertThat(after.get("done").asLong()).isEqualTo(files).isEqualTo(report.documents());
            assertThat(after.get("classified").asLong()).isEqualTo(report.classified()).isEqualTo(files - 4);
            assertThat(after.get("failed").asLong()).isEqualTo(report.failed()).isEqualTo(4);
            assertThat(after.get("duplicates").asLong()).isEqualTo(report.duplicates());

            StringWriter status = new StringWriter();
            try (Connection connection = db.connect(); PrintWriter out = new PrintWriter(status)) {
                StatusCommand.print(connection, DbOptions.schemaVersion(connection), runId, out);
            }
            assertThat(status.toString()).as("doc-classify status output").contains(
                    "done         " + after.get("done").asLong() + " documents of " + files,
                    "  classified " + after.get("classified").asLong() + "\n",
                    "  failed     " + after.get("failed").asLong() + "\n",
                    "  duplicate  " + after.get("duplicates").asLong() + "\n",
                    "  extract/parse_error           " + after.get("failuresByReason").get("extract/parse_error").asLong());
        }
    }

    /** Polls {@code condition} until it holds; fails after 60 s, naming what it waited for. */
    static void await(BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }
}
