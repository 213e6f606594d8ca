package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.docclassify.contract.Corpus;
import io.docclassify.contract.MixedCorpus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code doc-classify serve} driven over HTTP with the JDK's client: an upload is classified, a job runs over a
 * folder to the end, a job is stopped midway and continued with exactly one record per document, and the
 * service answers 401, 403, 413 and 429 where they belong.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServiceTest {

    private static final String INVOICE = "business_docs/docs/invoice/invoice2data__QualityHosting.pdf";

    @TempDir
    Path temp;

    Path root;
    Path docs;
    int files;

    @BeforeEach
    void corpus() throws Exception {
        root = Files.createDirectories(temp.resolve("root"));
        docs = root.resolve("docs");
        files = MixedCorpus.create(docs, 30, 2);
    }

    private ServiceFixture service(String... args) throws Exception {
        return service(true, args);
    }

    private ServiceFixture service(boolean open, String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("--root", root.toString(), "--jobs-dir",
                temp.resolve("jobs").toString()));
        all.addAll(List.of(args));
        return new ServiceFixture(temp, open, all.toArray(String[]::new));
    }

    @Test
    void anUpload_isClassified_asTheRecordOfItsBytes_namedAsTheClientSaid() throws Exception {
        byte[] pdf = Files.readAllBytes(Corpus.file(INVOICE));
        try (ServiceFixture service = service()) {
            HttpResponse<String> answer = service.send("POST", "/v1/classify", HttpRequest.BodyPublishers.ofByteArray(pdf),
                    ServiceFixture.TOKEN, "X-Filename", "invoices/march.pdf", "Content-Type", "application/pdf");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode record = ServiceFixture.JSON.readTree(answer.body());
            assertThat(record.get("path").asText()).isEqualTo("invoices/march.pdf");
            assertThat(record.get("sha256").asText()).isEqualTo(HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(pdf)));
            assertThat(record.get("bytes").asLong()).isEqualTo(pdf.length);
            assertThat(record.get("outcome").asText()).isEqualTo("classified");
            assertThat(record.get("mediaType").asText()).isEqualTo("application/pdf");
            assertThat(record.get("label").asText()).isNotBlank();
            assertThat(record.get("pages").asInt()).isPositive();
        }
    }

    @Test
    void aJobOverAFolder_runsToTheEnd_withOneRecordPerFile() throws Exception {
        try (ServiceFixture service = service()) {
            String id = service.submit("{\"inputs\": [\"docs\"], \"options\": {\"classifier\": \"rules\"}}");
            JsonNode done = service.awaitState(id, "done");
            assertThat(done.get("recorded").asLong()).isEqualTo(files);
            assertThat(done.get("documents").asLong()).isEqualTo(files);
            assertThat(done.get("failed").asLong()).as("the two truncated PDFs").isEqualTo(2);
            assertThat(done.get("etaSeconds").asLong()).isZero();
            assertThat(done.get("startedAt").asText()).isNotBlank();
            assertThat(done.get("endedAt").asText()).isNotBlank();
            List<JsonNode> records = service.results(id);
            assertThat(records).hasSize(files);
            assertThat(paths(records)).isEqualTo(filesIn(docs));

            HttpResponse<String> list = service.get("/v1/jobs");
            assertThat(ServiceFixture.JSON.readTree(list.body()).get("jobs").findValuesAsText("id")).containsExactly(id);
            HttpResponse<String> metrics = service.get("/metrics");
            assertThat(metrics.body()).contains("docclassify_service_requests_seconds_count{method=\"POST\"",
                    "route=\"/v1/jobs\"");
        }
    }

    @Test
    void aJobStoppedMidway_isContinuedByAResumedJob_withExactlyOneRecordPerDocument() throws Exception {
        try (ServiceFixture service = service(false)) {
            String first = service.submit("{\"inputs\": [\"docs\"]}");
            service.gate.allow(5);
            service.awaitJob(first, job -> job.get("classified").asLong() >= 5, "5 documents classified");
            HttpResponse<String> stop = service.send("DELETE", "/v1/jobs/" + first, HttpRequest.BodyPublishers.noBody(),
                    ServiceFixture.TOKEN);
            assertThat(stop.statusCode()).as(stop.body()).isEqualTo(202);
            service.open(); // the documents in flight finish
            JsonNode stopped = service.awaitState(first, "stopped");
            long before = stopped.get("recorded").asLong();
            assertThat(before).as("stopped midway").isBetween(5L, files - 1L);
            assertThat(service.results(first)).hasSize((int) before);

            String second = service.submit("{\"inputs\": [\"docs\"], \"resume\": true}");
            JsonNode done = service.awaitState(second, "done");
            assertThat(done.get("resumedFrom").asText()).isEqualTo(first);
            assertThat(done.get("skipped").asLong()).as("records the stopped job had").isEqualTo(before);
            assertThat(done.get("recorded").asLong()).isEqualTo(files);
            List<JsonNode> records = service.results(second);
            assertThat(records).as("one record per document").hasSize(files);
            assertThat(paths(records)).isEqualTo(filesIn(docs));
            assertThat(service.results(first)).as("the stopped job's results stay as they were").hasSize((int) before);
        }
    }

    @Test
    void stoppingOneJob_leavesTheOtherRunning() throws Exception {
        Path other = root.resolve("other");
        MixedCorpus.create(other, 10, 0);
        try (ServiceFixture service = service(false)) {
            String first = service.submit("{\"inputs\": [\"docs\"]}");
            String second = service.submit("{\"inputs\": [\"" + other + "\"]}");
            service.awaitState(second, "running");
            service.send("DELETE", "/v1/jobs/" + first, HttpRequest.BodyPublishers.noBody(), ServiceFixture.TOKEN);
            service.open();
            service.awaitState(first, "stopped");
            assertThat(service.awaitState(second, "done").get("recorded").asLong()).isEqualTo(12);
        }
    }

    @Test
    void withoutAValidToken_onlyHealthAndThePageAnswer() throws Exception {
        try (ServiceFixture service = service()) {
            HttpRequest.BodyPublisher none = HttpRequest.BodyPublishers.noBody();
            assertThat(service.send("GET", "/v1/health", none, null).statusCode()).isEqualTo(200);
            assertThat(service.send("GET", "/jobs", none, null).statusCode()).isEqualTo(200);
            for (String path : List.of("/v1/jobs", "/metrics", "/v1/openapi.json")) {
                HttpResponse<String> missing = service.send("GET", path, none, null);
                assertThat(missing.statusCode()).as("GET %s without a token", path).isEqualTo(401);
                assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
                assertThat(missing.body()).contains("Authorization: Bearer TOKEN");
                assertThat(service.send("GET", path, none, ServiceFixture.TOKEN + "x").statusCode())
                        .as("GET %s with a wrong token", path).isEqualTo(401);
                assertThat(service.send("GET", path, none, "").statusCode()).isEqualTo(401);
            }
            HttpResponse<String> other = service.send("GET", "/v1/jobs", none, "someone-else");
            assertThat(other.statusCode()).as("the other token of the file: %s", other.body()).isEqualTo(200);
            HttpResponse<String> upload = service.send("POST", "/v1/classify",
                    HttpRequest.BodyPublishers.ofString("text"), "someone-elsE");
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(401);
        }
    }

    @Test
    void inputsOutsideTheRoots_areRefusedWith403() throws Exception {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.copy(Corpus.file(INVOICE), outside.resolve("secret.pdf"));
        Files.createSymbolicLink(root.resolve("link-out"), outside);
        Files.createSymbolicLink(root.resolve("file-out.pdf"), outside.resolve("secret.pdf"));
        Path manifest = root.resolve("list.csv");
        Files.writeString(manifest, "path\n../outside/secret.pdf\n");
        try (ServiceFixture service = service()) {
            for (String input : List.of("../outside", outside.toString(), "docs/../../outside", "link-out",
                    "file-out.pdf", root + "/link-out/secret.pdf")) {
                HttpResponse<String> answer = service.postJson("/v1/jobs", "{\"inputs\": [\"" + input + "\"]}");
                assertThat(answer.statusCode()).as("input %s: %s", input, answer.body()).isEqualTo(403);
                assertThat(answer.body()).containsAnyOf("outside the service's roots", "contains '..'");
            }
            HttpResponse<String> listed = service.postJson("/v1/jobs", "{\"manifest\": \"list.csv\"}");
            assertThat(listed.statusCode()).as(listed.body()).isEqualTo(403);
            assertThat(listed.body()).contains("lists", "outside the service's roots");
            HttpResponse<String> callback = service.postJson("/v1/jobs",
                    "{\"inputs\": [\"docs\"], \"callback\": \"http://example.org/hook\"}");
            assertThat(callback.statusCode()).isEqualTo(403);
            assertThat(callback.body()).contains("--callback-allow");
            assertThat(service.get("/v1/jobs").body()).as("no job was accepted").isEqualTo("{\"jobs\":[]}");
        }
    }

    @Test
    void anUploadOverTheSizeLimit_isRefusedWith413_andTheServiceGoesOn() throws Exception {
        byte[] pdf = Files.readAllBytes(Corpus.file(INVOICE));
        try (ServiceFixture service = service("--max-file-size", (pdf.length - 1) + "B")) {
            HttpResponse<String> answer = service.send("POST", "/v1/classify", HttpRequest.BodyPublishers.ofByteArray(pdf),
                    ServiceFixture.TOKEN);
            assertThat(answer.statusCode()).isEqualTo(413);
            assertThat(answer.body()).contains("over the limit of " + (pdf.length - 1) + " bytes (--max-file-size)");
            byte[] small = Files.readAllBytes(Files.list(docs).filter(p -> p.toString().endsWith(".txt")).findFirst()
                    .orElseThrow());
            assertThat(service.send("POST", "/v1/classify", HttpRequest.BodyPublishers.ofByteArray(small),
                    ServiceFixture.TOKEN).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void uploadsBeyondMaxSync_getA429WithRetryAfter() throws Exception {
        byte[] text = "Shares of the company rose after the quarterly earnings report.".getBytes(StandardCharsets.UTF_8);
        try (ServiceFixture service = service(false, "--max-sync", "1")) {
            CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return service.send("POST", "/v1/classify", HttpRequest.BodyPublishers.ofByteArray(text),
                            ServiceFixture.TOKEN, "X-Filename", "held.txt");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> service.gate.waiting() == 1);
            HttpResponse<String> busy = service.send("POST", "/v1/classify", HttpRequest.BodyPublishers.ofByteArray(text),
                    ServiceFixture.TOKEN);
            assertThat(busy.statusCode()).isEqualTo(429);
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(busy.body()).contains("--max-sync");
            service.open();
            assertThat(held.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void jobsBeyondMaxQueuedJobs_getA429_andAStoppedQueuedJobNeverRuns() throws Exception {
        try (ServiceFixture service = service(false, "--max-running-jobs", "1", "--max-queued-jobs", "1")) {
            String running = service.submit("{\"inputs\": [\"docs\"]}");
            service.awaitState(running, "running");
            String queued = service.submit("{\"inputs\": [\"docs\"]}");
            HttpResponse<String> full = service.postJson("/v1/jobs", "{\"inputs\": [\"docs\"]}");
            assertThat(full.statusCode()).isEqualTo(429);
            assertThat(full.headers().firstValue("Retry-After")).isPresent();
            assertThat(full.body()).contains("--max-queued-jobs");
            service.send("DELETE", "/v1/jobs/" + queued, HttpRequest.BodyPublishers.noBody(), ServiceFixture.TOKEN);
            assertThat(service.job(queued).get("state").asText()).isEqualTo("stopped");
            service.open();
            service.awaitState(running, "done");
            assertThat(service.job(queued).get("startedAt").isNull()).as("the stopped job never started").isTrue();
            assertThat(service.results(queued)).isEmpty();
        }
    }

    @Test
    void theCallback_receivesTheFinalJob_afterAFailedAttempt() throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger attempts = new AtomicInteger();
        List<String> bodies = new CopyOnWriteArrayList<>();
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            // The first delivery meets a receiver that is down for a moment, as a real one sometimes is.
            int status = attempts.incrementAndGet() == 1 ? 503 : 200;
            if (status == 200) {
                bodies.add(new String(body, StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        try (ServiceFixture service = service("--callback-allow", "127.0.0.1:" + receiver.getAddress().getPort())) {
            String id = service.submit("{\"inputs\": [\"docs\"], \"callback\": \"http://127.0.0.1:"
                    + receiver.getAddress().getPort() + "/hook\"}");
            service.awaitState(id, "done");
            Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> bodies.size() == 1);
            JsonNode job = ServiceFixture.JSON.readTree(bodies.getFirst());
            assertThat(job.get("id").asText()).isEqualTo(id);
            assertThat(job.get("state").asText()).isEqualTo("done");
            assertThat(job.get("recorded").asLong()).isEqualTo(files);
            assertThat(attempts.get()).isEqualTo(2);
        } finally {
            receiver.stop(0);
        }
    }

    private static Set<String> paths(List<JsonNode> records) {
        List<String> all = records.stream().map(r -> Path.of(r.get("path").asText()).getFileName().toString()).toList();
        assertThat(all).as("no path twice").doesNotHaveDuplicates();
        return Set.copyOf(all);
    }

    private static Set<String> filesIn(Path dir) throws Exception {
        try (Stream<Path> listed = Files.list(dir)) {
            return listed.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
