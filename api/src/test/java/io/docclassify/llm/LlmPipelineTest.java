package io.docclassify.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentClassifier;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.RunReport;
import io.docclassify.Stage;
import io.docclassify.classify.CascadeClassifier;
import io.docclassify.classify.RulesClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.contract.CollectingSink;
import io.docclassify.contract.Corpus;
import io.docclassify.contract.SequentialEngine;
import io.docclassify.llm.LoopbackLlmServer.Reply;
import io.docclassify.sink.JsonLinesSink;
import io.docclassify.sink.RecordJson;
import io.docclassify.source.DocumentSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** LLM classifiers and the cascade in the real pipeline, over real text documents of the corpus. */
@Timeout(120)
class LlmPipelineTest {

    static final int RETRIES = 2;

    static List<Path> bbcDocuments(int perTopic) {
        try (Stream<Path> topics = Files.list(Corpus.root().resolve("bbc_news/docs"))) {
            return topics.sorted().flatMap(topic -> {
                try (Stream<Path> files = Files.list(topic)) {
                    return files.sorted().limit(perTopic).toList().stream();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every fault the issue lists, picked at random (seeded) per call; an answer otherwise. */
    static Function<LoopbackLlmServer.Call, Reply> faults(long seed) {
        Random random = new Random(seed);
        return call -> {
            int dice;
            synchronized (random) {
                dice = random.nextInt(10);
            }
            return switch (dice) {
                case 0 -> new Reply.Status(500, null);
                case 1 -> new Reply.Status(429, "0");
                case 2 -> new Reply.Slow(2_000, new Reply.Answer("report", 0.9));
                case 3 -> new Reply.Drop();
                case 4 -> new Reply.Raw("{\"label\": \"report\", \"conf");
                case 5 -> new Reply.Raw("{\"label\":\"weather_forecast\",\"confidence\":0.9}");
                default -> new Reply.Answer("news_article", 0.8);
            };
        };
    }

    @Test
    void underEveryFault_eachDocumentEndsAsExactlyOneRecord_withinTheRetryBudget() throws Exception {
        List<Path> documents = bbcDocuments(8);
        try (LoopbackLlmServer server = new LoopbackLlmServer(faults(42))) {
            LlmClassifier llm = LlmClassifier.ollama(Taxonomy.builtIn()).urls(List.of(server.baseUrl()))
                    .timeout(Duration.ofMillis(400)).retries(RETRIES).backoff(Duration.ofMillis(1), Duration.ofMillis(5))
                    .circuitBreaker(1_000, Duration.ofSeconds(1)).build();
            CollectingSink sink = new CollectingSink();
            RunReport report;
            try (DocumentClassifier classifier = DocumentClassifier.builder().engine(new SequentialEngine())
                    .classifier(llm).build()) {
                report = classifier.run(DocumentSources.files(documents), sink);
            }

            assertThat(sink.records()).extracting(DocumentRecord::path)
                    .containsExactlyInAnyOrderElementsOf(documents.stream().map(Path::toString).toList());
            assertThat(server.calls()).as("calls for %d documents, at most %d each", documents.size(), RETRIES + 2)
                    .isLessThanOrEqualTo(documents.size() * (RETRIES + 2))
                    .isGreaterThan(documents.size());
            assertThat(server.malformedRequests()).isZero();
            Map<String, Long> reasons = sink.records().stream()
                    .filter(r -> r.outcome() instanceof Outcome.Failed)
                    .map(r -> (Outcome.Failed) r.outcome())
                    .peek(f -> assertThat(f.stage()).isEqualTo(Stage.CLASSIFY))
                    .collect(Collectors.groupingBy(Outcome.Failed::reason, Collectors.counting()));
            assertThat(reasons.keySet()).isSubsetOf("llm_unavailable", "llm_invalid_answer");
            assertThat(report.classified() + report.failed()).isEqualTo(documents.size());
            assertThat(report.classified()).as("most documents get through the faults").isGreaterThan(documents.size() / 2);
        }
    }

    @Test
    void aRunInterruptedWhileTheLlmThinks_recordsNothingForThatDocument() throws Exception {
        List<Path> documents = bbcDocuments(1).subList(0, 1);
        CountDownLatch asked = new CountDownLatch(1);
        try (LoopbackLlmServer server = new LoopbackLlmServer(call -> {
            asked.countDown();
            return new Reply.Slow(60_000, new Reply.Answer("memo", 1));
        })) {
            LlmClassifier llm = LlmClassifier.ollama(Taxonomy.builtIn()).urls(List.of(server.baseUrl())).build();
            CollectingSink sink = new CollectingSink();
            AtomicReference<Throwable> ended = new AtomicReference<>();
            Thread run = new Thread(() -> {
                try (DocumentClassifier classifier = DocumentClassifier.builder().engine(new SequentialEngine())
                        .classifier(llm).build()) {
                    classifier.run(DocumentSources.files(documents), sink);
                } catch (Throwable t) {
                    ended.set(t);
                }
            });
            run.start();
            assertThat(asked.await(30, TimeUnit.SECONDS)).as("the LLM call was made").isTrue();
            run.interrupt();
            run.join(Duration.ofSeconds(30));
            assertThat(run.isAlive()).as("the run ended after the interrupt").isFalse();
            assertThat(ended.get()).isInstanceOf(InterruptedException.class);
            assertThat(sink.records()).as("records of a document whose classification was interrupted").isEmpty();
        }
    }

    @Test
    void invalidAnswer_isRecordedAsFailedAtClassify_withTheRawAnswer() throws Exception {
        List<Path> documents = bbcDocuments(1);
        try (LoopbackLlmServer server = new LoopbackLlmServer(call -> new Reply.Raw("I think it is a newspaper."))) {
            LlmClassifier llm = LlmClassifier.ollama(Taxonomy.builtIn()).urls(List.of(server.baseUrl())).build();
            CollectingSink sink = new CollectingSink();
            try (DocumentClassifier classifier = DocumentClassifier.builder().engine(new SequentialEngine())
                    .classifier(llm).build()) {
                classifier.run(DocumentSources.files(documents), sink);
            }
            assertThat(sink.records()).hasSize(documents.size()).allSatisfy(r -> {
                assertThat(r.outcome()).isInstanceOfSatisfying(Outcome.Failed.class, f -> {
                    assertThat(f.stage()).isEqualTo(Stage.CLASSIFY);
                    assertThat(f.reason()).isEqualTo("llm_invalid_answer");
                    assertThat(f.message()).contains("raw answer: I think it is a newspaper.");
                });
                assertThat(r.classifier()).isEqualTo("ollama@llama3.2:3b/p1");
            });
            assertThat(server.calls()).isEqualTo(2 * documents.size());
        }
    }

    @Test
    void cascade_asksTheLlmOnlyBelowTheThreshold_andARerunAsksItNothing(@TempDir Path dir) throws Exception {
        List<Path> documents = bbcDocuments(6);
        Path results = dir.resolve("results.jsonl");
        try (LoopbackLlmServer server = new LoopbackLlmServer(call -> new Reply.Answer("news_article", 0.95))) {
            CascadeClassifier cascade = cascade(server, 0.6);
            run(cascade, documents, results, JsonLinesSink.Mode.CREATE);

            List<DocumentRecord> records = records(results);
            assertThat(records).hasSize(documents.size());
            Map<String, Long> byStage = records.stream().collect(Collectors.groupingBy(
                    r -> ((Outcome.Classified) r.outcome()).decidedBy(), Collectors.counting()));
            assertThat(byStage.keySet()).as("both stages decide some of these documents").containsExactlyInAnyOrder("rules", "ollama");
            assertThat(records).filteredOn(r -> "ollama".equals(((Outcome.Classified) r.outcome()).decidedBy()))
                    .allSatisfy(r -> assertThat(((Outcome.Classified) r.outcome()).label()).isEqualTo("news_article"));
            assertThat(records).filteredOn(r -> "rules".equals(((Outcome.Classified) r.outcome()).decidedBy()))
                    .allSatisfy(r -> assertThat(((Outcome.Classified) r.outcome()).confidence()).isGreaterThanOrEqualTo(0.6));
            assertThat(server.calls()).isEqualTo(byStage.get("ollama").intValue()).isEqualTo((int) cascade.escalated());
            assertThat(cascade.classified()).isEqualTo(documents.size());
            assertThat(records.get(0).classifier()).isEqualTo("cascade(rules<0.60>ollama@llama3.2:3b/p1)");

            int before = server.calls();
            CascadeClassifier again = cascade(server, 0.6);
            run(again, documents, results, JsonLinesSink.Mode.RESUME);
            assertThat(server.calls()).as("LLM calls of the resumed rerun").isEqualTo(before);
            assertThat(again.classified()).isZero();
            assertThat(records(results)).hasSize(documents.size());
        }
    }

    private static List<DocumentRecord> records(Path file) throws IOException {
        try (Stream<DocumentRecord> lines = RecordJson.read(file)) {
            return lines.toList();
        }
    }

    private static CascadeClassifier cascade(LoopbackLlmServer server, double threshold) {
        LlmClassifier llm = LlmClassifier.ollama(Taxonomy.builtIn()).urls(List.of(server.baseUrl())).build();
        return new CascadeClassifier(new RulesClassifier(Taxonomy.builtIn()), llm, threshold);
    }

    private static void run(CascadeClassifier cascade, List<Path> documents, Path results, JsonLinesSink.Mode mode)
            throws Exception {
        try (DocumentClassifier classifier = DocumentClassifier.builder().engine(new SequentialEngine())
                .classifier(cascade).build();
                JsonLinesSink sink = JsonLinesSink.open(results, mode)) {
            classifier.run(DocumentSources.files(documents), sink);
        }
    }
}
