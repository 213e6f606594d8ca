package io.docclassify.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docclassify.DocumentClassifier;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.RunReport;
import io.docclassify.contract.CollectingSink;
import io.docclassify.contract.MixedCorpus;
import io.docclassify.contract.SequentialEngine;
import io.docclassify.contract.SteppedClassifier;
import io.docclassify.source.DocumentSources;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The status server over a real run: /api/run and /metrics while it goes and after, against the records. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatusServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() {};

    @TempDir
    Path temp;

    @Test
    void scrapesDuringTheRun_andCountersMatchTheRecordsAtTheEnd() throws Exception {
        int files = MixedCorpus.create(temp.resolve("in"), 20, 3);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RunMetrics metrics = RunMetrics.on(registry);
        RunMonitor monitor = new RunMonitor(metrics, AlertThresholds.defaults(), "sequential", 1);
        SteppedClassifier gate = new SteppedClassifier();
        CollectingSink sink = new CollectingSink();
        try (DocumentClassifier classifier = DocumentClassifier.builder().engine(new SequentialEngine())
                .classifier(gate).metrics(metrics).listener(monitor).build();
                StatusServer server = StatusServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        registry, monitor)) {
            monitor.total(files);
            CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return classifier.run(DocumentSources.directory(temp.resolve("in"), false), sink);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            gate.allow(7);
            await(() -> gate.waiting() == 1 && sink.records().stream().filter(r -> r.label() != null).count() == 7,
                    "the run to classify 7 documents and wait at the gate");

            JsonNode during = JSON.readTree(Scrape.get(server.url() + "api/run").body());
            String metricsDuring = Scrape.get(server.url() + "metrics").body();
            long recordedDuring = sink.records().size();
            assertThat(during.get("state").asText()).isEqualTo("running");
            assertThat(during.get("classified").asLong()).as("classified while the gate holds").isEqualTo(7);
            assertThat(during.get("recorded").asLong()).isEqualTo(recordedDuring);
            assertThat(during.get("total").asLong()).isEqualTo(files);
            assertThat(during.get("done").asLong()).isLessThan(files);
            assertThat(during.get("inFlight").asLong()).as("the document waiting at the gate").isEqualTo(1);
            assertThat(Scrape.sum(metricsDuring, "docclassify_documents_total", "outcome=\"classified\"")).isEqualTo(7);
            assertThat(Scrape.sum(metricsDuring, "docclassify_documents_total")).isEqualTo(recordedDuring);
            assertThat(Scrape.sum(metricsDuring, "docclassify_inflight")).isEqualTo(1);

            gate.openFully();
            RunReport report = run.get(60, TimeUnit.SECONDS);
            JsonNode after = JSON.readTree(Scrape.get(server.url() + "api/run").body());
            String metricsAfter = Scrape.get(server.url() + "metrics").body();

            assertThat(report.documents()).isEqualTo(files);
            assertThat(after.get("state").asText()).isEqualTo("finished");
            assertThat(after.get("classified").asLong()).isEqualTo(report.classified());
            assertThat(after.get("failed").asLong()).isEqualTo(report.failed()).isEqualTo(3);
            assertThat(after.get("duplicates").asLong()).isEqualTo(report.duplicates());
            assertThat(after.get("pages").asLong()).isEqualTo(report.pages()).isPositive();
            assertThat(after.get("ocrPages").asLong()).isEqualTo(report.ocrPages());
            assertThat(JSON.convertValue(after.get("byLabel"), COUNTS)).isEqualTo(report.byLabel());
            assertThat(JSON.convertValue(after.get("failuresByReason"), COUNTS)).isEqualTo(Map.of("extract/parse_error", 3L));
            assertThat(after.get("recentFailures")).hasSize(3);
            assertThat(after.get("recentFailures").get(0).get("path").asText()).contains("truncated-");

            Map<String, Long> labelsInRecords = sink.records().stream()
                    .filter(r -> r.outcome() instanceof Outcome.Classified)
                    .collect(Collectors.groupingBy(DocumentRecord::label, Collectors.counting()));
            for (Map.Entry<String, Long> label : labelsInRecords.entrySet()) {
                assertThat(Scrape.sum(metricsAfter, "docclassify_documents_total", "label=\"" + label.getKey() + "\""))
                        .as("documents labelled %s", label.getKey()).isEqualTo(label.getValue().doubleValue());
            }
            assertThat(Scrape.sum(metricsAfter, "docclassify_documents_total", "outcome=\"failed\"")).isEqualTo(3);
            assertThat(Scrape.sum(metricsAfter, "docclassify_failures_total", "reason=\"parse_error\"", "stage=\"extract\""))
                    .isEqualTo(3);
            assertThat(Scrape.sum(metricsAfter, "docclassify_pages_total")).isEqualTo(report.pages());
            assertThat(Scrape.sum(metricsAfter, "docclassify_ocr_pages_total")).as("no OCR in this run")
                    .isEqualTo(report.ocrPages()).isZero();
            assertThat(metricsAfter).contains("# HELP docclassify_ocr_pages_total pages and images read by OCR");
            assertThat(Scrape.sum(metricsAfter, "docclassify_bytes_total")).isEqualTo(report.bytes());
            assertThat(Scrape.sum(metricsAfter, "docclassify_stage_duration_seconds_count", "stage=\"classify\""))
                    .isEqualTo(report.classified());
            assertThat(Scrape.sum(metricsAfter, "docclassify_inflight")).isZero();
            assertThat(Scrape.sum(metricsAfter, "docclassify_member_documents_total")).isEqualTo(files);
        }
    }

    @Test
    void servesTheDashboard_andRefusesOtherPathsAndMethods() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RunMonitor monitor = new RunMonitor(RunMetrics.on(registry), AlertThresholds.defaults(), "local", 2);
        try (StatusServer server = StatusServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                registry, monitor)) {
            assertThat(server.url()).startsWith("http://127.0.0.1:");
            HttpResponse<String> page = Scrape.get(server.url());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).contains("<script src=\"dashboard.js\">").doesNotContain("http://", "https://");
            assertThat(Scrape.get(server.url() + "dashboard.js").body()).contains("api/run");
            assertThat(JSON.readTree(Scrape.get(server.url() + "api/run").body()).get("state").asText())
                    .isEqualTo("waiting");
            HttpResponse<String> missing = Scrape.get(server.url() + "nothing");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("try /, /api/run or /metrics");
            HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url()
                    + "api/run")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void aTakenPort_failsWithAHint() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RunMonitor monitor = new RunMonitor(RunMetrics.on(registry), AlertThresholds.defaults(), "local", 2);
        try (StatusServer first = StatusServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                registry, monitor)) {
            IOException e = assertThrows(IOException.class, () -> StatusServer.start(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), first.port()), registry, monitor));
            assertThat(e.getMessage()).contains(":" + first.port(), "choose another StatusServer.port");
        }
    }

    /** Polls {@code condition} until it holds; fails after 30 s, naming what it waited for. */
    static void await(BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }
}
