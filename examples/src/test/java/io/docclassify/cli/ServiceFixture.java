package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docclassify.DocumentClassifier;
import io.docclassify.contract.SteppedClassifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import picocli.CommandLine;

/**
 * A running {@code doc-classify serve}, built from command-line arguments as the command builds it, whose jobs
 * and uploads classify with the rules classifier behind a {@link SteppedClassifier} gate (open unless a test
 * closes it), and a real HTTP client (java.net.http) to call it.
 */
final class ServiceFixture implements AutoCloseable {

    static final String TOKEN = "test-token-7f3a9c";
    static final ObjectMapper JSON = new ObjectMapper();

    final SteppedClassifier gate = new SteppedClassifier();
    final Service service;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private boolean closed;
    private boolean opened;

    /** Starts a service with {@code args} (besides --port 0 and --tokens, which it adds); the gate starts open. */
    ServiceFixture(Path temp, String... args) throws Exception {
        this(temp, true, args);
    }

    ServiceFixture(Path temp, boolean open, String... args) throws Exception {
        Path tokens = temp.resolve("tokens-" + System.nanoTime());
        Files.writeString(tokens, "# tokens of the test\n\nsomeone-else\n" + TOKEN + "\n");
        List<String> all = new ArrayList<>(List.of("--port", "0", "--tokens", tokens.toString()));
        all.addAll(List.of(args));
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs(all.toArray(String[]::new));
        if (open) {
            open();
        }
        service = command.start(variant -> DocumentClassifier.builder().engine("local").workers(2).chunkSize(2)
                .classifier(gate).build());
    }

    /** Lets every document through the gate from now on. */
    synchronized void open() {
        if (!opened) {
            opened = true;
            gate.openFully();
        }
    }

    String url() {
        return service.url();
    }

    HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, String token,
            String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, HttpRequest.BodyPublishers.noBody(), TOKEN);
    }

    HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, HttpRequest.BodyPublishers.ofString(json), TOKEN, "Content-Type", "application/json");
    }

    /** Submits a job and returns its id, checking the 202 answer. */
    String submit(String json) throws IOException, InterruptedException {
        HttpResponse<String> answer = postJson("/v1/jobs", json);
        assertThat(answer.statusCode()).as("POST /v1/jobs %s answered %s", json, answer.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("state").asText()).isEqualTo("queued");
        return body.get("id").asText();
    }

    JsonNode job(String id) throws IOException, InterruptedException {
        HttpResponse<String> answer = get("/v1/jobs/" + id);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    /** Waits until job {@code id} satisfies {@code condition}; returns it then. */
    JsonNode awaitJob(String id, Predicate<JsonNode> condition, String what) {
        JsonNode[] last = new JsonNode[1];
        Awaitility.await(what).atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = job(id);
            return condition.test(last[0]);
        });
        return last[0];
    }

    JsonNode awaitState(String id, String state) {
        return awaitJob(id, job -> job.get("state").asText().equals(state), "job " + id + " to be " + state);
    }

    /** The job's records, from GET /v1/jobs/{id}/results. */
    List<JsonNode> results(String id) throws IOException, InterruptedException {
        HttpResponse<String> answer = get("/v1/jobs/" + id + "/results");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        List<JsonNode> records = new ArrayList<>();
        for (String line : answer.body().split("\n")) {
            if (!line.isEmpty()) {
                records.add(JSON.readTree(line));
            }
        }
        return records;
    }

    @Override
    public void close() throws IOException {
        close(true);
    }

    /**
     * Closes the service; with {@code openGate} false the gate stays as it is, for a test that lets the documents
     * in flight through itself.
     */
    synchronized void close(boolean openGate) throws IOException {
        if (!closed) {
            closed = true;
            if (openGate) {
                open();
            }
            service.close();
            http.close();
        }
    }
}
