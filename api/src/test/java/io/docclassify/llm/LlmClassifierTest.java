package io.docclassify.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docclassify.ConfigurationException;
import io.docclassify.Outcome;
import io.docclassify.classify.Taxonomy;
import io.docclassify.concurrent.ManualTime;
import io.docclassify.llm.LoopbackLlmServer.Reply;
import io.docclassify.spi.ClassificationException;
import io.docclassify.spi.ExtractedText;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link LlmClassifier} against a real HTTP server on loopback that speaks both APIs and injects faults. */
@Timeout(60)
class LlmClassifierTest {

    static final ExtractedText INVOICE = ExtractedText.ofText("INVOICE No. 4711\nBill to: ACME\nAmount due: 120.00 EUR");

    private final List<LoopbackLlmServer> servers = new ArrayList<>();
    /** Records the waits the classifier asks for instead of waiting them; time moves only when a test says. */
    private final ManualTime time = new ManualTime(ManualTime.Sleeps.RECORD);

    @AfterEach
    void stop() {
        servers.forEach(LoopbackLlmServer::close);
    }

    private LoopbackLlmServer server(Function<LoopbackLlmServer.Call, Reply> behaviour) throws Exception {
        LoopbackLlmServer server = new LoopbackLlmServer(behaviour);
        servers.add(server);
        return server;
    }

    private LlmClassifier.Builder ollama(String... urls) {
        return LlmClassifier.ollama(Taxonomy.builtIn()).urls(List.of(urls)).model("llama3.2:3b")
                .timeout(Duration.ofSeconds(5)).retries(3).time(time);
    }

    /** Replies from a script, one per call, then the last one forever. */
    private static Function<LoopbackLlmServer.Call, Reply> script(Reply... replies) {
        AtomicInteger next = new AtomicInteger();
        return call -> replies[Math.min(next.getAndIncrement(), replies.length - 1)];
    }

    @Test
    void ollama_sendsTheDocumentedRequest_andReadsTheLabel() throws Exception {
        LoopbackLlmServer server = server(call -> new Reply.Answer("invoice", 0.93));
        LlmClassifier classifier = ollama(server.baseUrl()).build();

        Outcome.Classified result = classifier.classify(INVOICE);

        assertThat(result.label()).isEqualTo("invoice");
        assertThat(result.confidence()).isEqualTo(0.93);
        assertThat(result.rationale()).isNull();
        assertThat(server.malformedRequests()).as("requests not in Ollama's shape").isZero();
        LoopbackLlmServer.Call call = server.received().get(0);
        assertThat(call.path()).isEqualTo("/api/chat");
        assertThat(call.body().path("model").asText()).isEqualTo("llama3.2:3b");
        assertThat(call.body().path("format").path("properties").path("label").path("enum"))
                .extracting(n -> n.asText()).containsAll(Taxonomy.builtIn().labelNames());
        assertThat(call.userText()).contains("Amount due: 120.00 EUR");
        assertThat(classifier.id()).isEqualTo("ollama@llama3.2:3b/p1");
        assertThat(classifier.cpuBound()).isFalse();
    }

    @Test
    void openAi_sendsJsonSchemaAndBearerKey_andReadsTheRationale() throws Exception {
        LoopbackLlmServer server = server(call -> new Reply.Raw(
                "{\"label\":\"invoice\",\"confidence\":0.8,\"rationale\":\"It asks for payment.\"}"));
        LlmClassifier classifier = LlmClassifier.openAi(Taxonomy.builtIn()).urls(List.of(server.baseUrl() + "/v1"))
                .model("gpt-4o-mini").reasoning(true).apiKey("sk-secret-123").time(time).build();

        Outcome.Classified result = classifier.classify(INVOICE);

        assertThat(result.label()).isEqualTo("invoice");
        assertThat(result.rationale()).isEqualTo("It asks for payment.");
        assertThat(server.malformedRequests()).as("requests not in OpenAI's shape").isZero();
        LoopbackLlmServer.Call call = server.received().get(0);
        assertThat(call.path()).isEqualTo("/v1/chat/completions");
        assertThat(call.authorization()).isEqualTo("Bearer sk-secret-123");
        assertThat(call.body().path("response_format").path("json_schema").path("schema").path("required"))
                .extracting(n -> n.asText()).containsExactly("label", "confidence", "rationale");
        assertThat(classifier.toString() + classifier.id()).doesNotContain("sk-secret-123");
    }

    @Test
    void openAiServerWithoutStructuredOutput_isAskedWithoutIt_fromThenOn() throws Exception {
        LoopbackLlmServer server = server(call -> new Reply.Answer("invoice", 0.9));
        server.structuredOutput(false);
        LlmClassifier classifier = LlmClassifier.openAi(Taxonomy.builtIn()).urls(List.of(server.baseUrl()))
                .time(time).build();

        assertThat(classifier.classify(INVOICE).label()).isEqualTo("invoice");
        assertThat(classifier.classify(INVOICE).label()).isEqualTo("invoice");

        assertThat(server.calls()).as("one refused call, then two without response_format").isEqualTo(3);
        assertThat(server.received()).hasSize(2)
                .allSatisfy(call -> assertThat(call.body().has("response_format")).isFalse());
        assertThat(server.received().get(0).body().path("messages").get(0).path("content").asText())
                .contains("\"label\" (one of the types above)");
    }

    @Test
    void textBeyondTheBudget_isNotSent() throws Exception {
        LoopbackLlmServer server = server(call -> new Reply.Answer("report", 0.7));
        String text = "word ".repeat(2_000) + "TAIL-MARKER";
        ollama(server.baseUrl()).textBudget(1_000).build().classify(ExtractedText.ofText(text));
        assertThat(server.received().get(0).userText()).doesNotContain("TAIL-MARKER").hasSizeLessThan(1_200);
    }

    @Test
    void serverErrors_areRetriedWithBackoff_untilAnAnswer() throws Exception {
        LoopbackLlmServer server = server(script(new Reply.Status(500, null), new Reply.Status(503, null),
                new Reply.Answer("invoice", 0.9)));
        Outcome.Classified result = ollama(server.baseUrl()).backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .build().classify(INVOICE);
        assertThat(result.label()).isEqualTo("invoice");
        assertThat(server.calls()).isEqualTo(3);
        assertThat(time.sleeps()).hasSize(2);
        assertThat(time.sleeps().get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(time.sleeps().get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void tooManyRequests_waitsAsRetryAfterSays() throws Exception {
        LoopbackLlmServer server = server(script(new Reply.Status(429, "7"), new Reply.Answer("letter", 0.6)));
        assertThat(ollama(server.baseUrl()).build().classify(INVOICE).label()).isEqualTo("letter");
        assertThat(server.calls()).isEqualTo(2);
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void retryBudget_isKept_thenTheDocumentFailsAsUnavailable() throws Exception {
        LoopbackLlmServer server = server(call -> new Reply.Status(500, null));
        LlmClassifier classifier = ollama(server.baseUrl()).retries(2).circuitBreaker(100, Duration.ofMinutes(1)).build();

        assertThatThrownBy(() -> classifier.classify(INVOICE))
                .isInstanceOfSatisfying(ClassificationException.class, e -> assertThat(e.reason()).isEqualTo("llm_unavailable"))
                .hasMessageContaining("after 3 attempts").hasMessageContaining("HTTP 500").hasMessageContaining("LlmClassifier.retries");
        assertThat(server.calls()).as("1 call + 2 retries").isEqualTo(3);
    }

    @Test
    void slowAnswersPastTheTimeout_areRetried() throws Exception {
        LoopbackLlmServer server = server(script(new Reply.Slow(5_000, new Reply.Answer("memo", 0.9)),
                new Reply.Answer("invoice", 0.9)));
        Outcome.Classified result = ollama(server.baseUrl()).timeout(Duration.ofMillis(300)).build().classify(INVOICE);
        assertThat(result.label()).isEqualTo("invoice");
        assertThat(server.calls()).isEqualTo(2);
    }

    @Test
    void droppedConnections_areRetried() throws Exception {
        LoopbackLlmServer server = server(script(new Reply.Drop(), new Reply.Drop(), new Reply.Answer("invoice", 0.9)));
        assertThat(ollama(server.baseUrl()).build().classify(INVOICE).label()).isEqualTo("invoice");
        assertThat(server.calls()).isEqualTo(3);
    }

    @Test
    void malformedJson_getsOneCorrectiveRetry() throws Exception {
        LoopbackLlmServer server = server(script(new Reply.Raw("{\"label\": \"invoice\", "),
                new Reply.Raw("```json\n{\"label\":\"invoice\",\"confidence\":0.75}\n```")));
        assertThat(ollama(server.baseUrl()).build().classify(INVOICE).label()).isEqualTo("invoice");
        assertThat(server.calls()).isEqualTo(2);
        String correction = server.received().get(1).body().path("messages").get(3).path("content").asText();
        assertThat(correction).contains("not valid JSON").contains("invoice");
        assertThat(time.sleeps()).as("a corrective retry is not a transport retry").isEmpty();
    }

    @Test
    void unknownLabelTwice_failsAsInvalidAnswer_keepingTheRawAnswer() throws Exception {
        LoopbackLlmServer server = server(call -> new Reply.Raw("{\"label\":\"spaceship\",\"confidence\":0.99}"));
        LlmClassifier classifier = ollama(server.baseUrl()).build();
        assertThatThrownBy(() -> classifier.classify(INVOICE))
                .isInstanceOfSatisfying(ClassificationException.class,
                        e -> assertThat(e.reason()).isEqualTo("llm_invalid_answer"))
                .hasMessageContaining("raw answer: {\"label\":\"spaceship\"");
        assertThat(server.calls()).isEqualTo(2);
    }

    @Test
    void aHugeInvalidAnswer_isKeptTruncated() throws Exception {
        LoopbackLlmServer server = server(call -> new Reply.Raw("x".repeat(100_000)));
        assertThatThrownBy(() -> ollama(server.baseUrl()).build().classify(INVOICE))
                .hasMessageContaining("(100000 chars)")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(1_000));
    }

    @Test
    void confidenceOutOfRange_isAnInvalidAnswer() throws Exception {
        LoopbackLlmServer server = server(script(new Reply.Raw("{\"label\":\"invoice\",\"confidence\":7}"),
                new Reply.Answer("invoice", 0.7)));
        assertThat(ollama(server.baseUrl()).build().classify(INVOICE).confidence()).isEqualTo(0.7);
        assertThat(server.received().get(1).body().path("messages").get(3).path("content").asText())
                .contains("confidence");
    }

    @Test
    void aRefusedRequest_failsAtOnceWithAHint() throws Exception {
        LoopbackLlmServer server = server(call -> new Reply.Status(404, null));
        assertThatThrownBy(() -> ollama(server.baseUrl()).build().classify(INVOICE))
                .isInstanceOfSatisfying(ClassificationException.class, e -> assertThat(e.reason()).isEqualTo("llm_rejected"))
                .hasMessageContaining("ollama pull llama3.2:3b");
        assertThat(server.calls()).isEqualTo(1);
    }

    @Test
    void twoEndpointsOneFailing_theBreakerStopsCallingIt() throws Exception {
        LoopbackLlmServer healthy = server(call -> new Reply.Answer("invoice", 0.9));
        LoopbackLlmServer failing = server(call -> new Reply.Status(500, null));
        LlmClassifier classifier = ollama(healthy.baseUrl(), failing.baseUrl())
                .circuitBreaker(3, Duration.ofMinutes(10)).build();

        for (int i = 0; i < 40; i++) {
            assertThat(classifier.classify(INVOICE).label()).isEqualTo("invoice");
        }
        assertThat(failing.calls()).as("calls to the failing endpoint once its breaker opened").isEqualTo(3);
        assertThat(healthy.calls()).isEqualTo(40);
    }

    @Test
    void anEndpointThatIsDown_isSkipped_andTheBreakerProbesItAgainLater() throws Exception {
        LoopbackLlmServer healthy = server(call -> new Reply.Answer("invoice", 0.9));
        String down;
        try (ServerSocket socket = new ServerSocket(0)) {
            down = "http://127.0.0.1:" + socket.getLocalPort();
        }
        LlmClassifier classifier = ollama(down, healthy.baseUrl()).circuitBreaker(2, Duration.ofSeconds(30))
                .build();
        for (int i = 0; i < 20; i++) {
            assertThat(classifier.classify(INVOICE).label()).isEqualTo("invoice");
        }
        assertThat(time.sleeps()).as("one retry per failed call to the dead endpoint, two before its breaker opened").hasSize(2);
        time.advance(Duration.ofSeconds(31));
        for (int i = 0; i < 4; i++) {
            classifier.classify(INVOICE);
        }
        assertThat(time.sleeps()).as("one half-open probe after the open period, then open again").hasSize(3);
        assertThat(healthy.calls()).isEqualTo(24);
    }

    @Test
    void everyEndpointDown_failsWithinTheBudget() throws Exception {
        String down;
        try (ServerSocket socket = new ServerSocket(0)) {
            down = "http://127.0.0.1:" + socket.getLocalPort();
        }
        LlmClassifier classifier = ollama(down).retries(4).circuitBreaker(2, Duration.ofMinutes(1)).build();
        assertThatThrownBy(() -> classifier.classify(INVOICE))
                .isInstanceOfSatisfying(ClassificationException.class, e -> assertThat(e.reason()).isEqualTo("llm_unavailable"))
                .hasMessageContaining("circuit breaker is open");
        assertThat(time.sleeps()).hasSize(4);
    }

    @Test
    void settings_areCheckedWithTheOptionToChange() {
        assertThatThrownBy(() -> ollama("x").retries(-1)).isInstanceOf(ConfigurationException.class)
                .hasMessage("LlmClassifier.retries must be >= 0, got -1");
        assertThatThrownBy(() -> ollama("x").maxConcurrent(0)).hasMessage("LlmClassifier.maxConcurrent must be >= 1, got 0");
        assertThatThrownBy(() -> ollama("x").timeout(Duration.ZERO)).hasMessageStartingWith("LlmClassifier.timeout must be > 0");
        assertThatThrownBy(() -> ollama("http://")).hasMessageStartingWith("LlmClassifier.urls 'http://' is not a URL");
        assertThatThrownBy(() -> LlmClassifier.ollama(Taxonomy.builtIn()).model(" "))
                .hasMessageStartingWith("LlmClassifier.model must name a model");
    }

    @Test
    void baseUrls_followEachApisConvention() {
        assertThat(ollama("127.0.0.1:11434").build().endpoints().get(0)).hasToString("http://127.0.0.1:11434/api/chat");
        assertThat(LlmClassifier.openAi(Taxonomy.builtIn()).build().endpoints().get(0))
                .hasToString("https://api.openai.com/v1/chat/completions");
        assertThat(LlmClassifier.openAi(Taxonomy.builtIn()).urls(List.of("http://vllm:8000/")).build().endpoints().get(0))
                .hasToString("http://vllm:8000/v1/chat/completions");
    }
}
