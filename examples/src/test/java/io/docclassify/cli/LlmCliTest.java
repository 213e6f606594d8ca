package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.contract.Corpus;
import io.docclassify.llm.LoopbackLlmServer;
import io.docclassify.llm.LoopbackLlmServer.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --classifier ollama|openai|cascade} against LLM servers on loopback. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LlmCliTest extends InProcessCli {

    static final Path BBC_BUSINESS = Corpus.root().resolve("bbc_news/docs/business");

    @TempDir
    Path temp;

    /** A folder with the first {@code n} texts of bbc_news/business. */
    private Path documents(int n) throws Exception {
        Path dir = Files.createDirectories(temp.resolve("docs"));
        try (var files = Files.list(BBC_BUSINESS)) {
            for (Path f : files.sorted().limit(n).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    @Test
    void cascade_recordsTheDecidingStage_reportsTheEscalatedShare_andAResumedRerunAsksNothing() throws Exception {
        Path docs = documents(12);
        Path results = temp.resolve("results.jsonl");
        try (LoopbackLlmServer server = new LoopbackLlmServer(call -> new Reply.Answer("news_article", 0.9))) {
            String[] args = {"classify", docs.toString(), "-o", results.toString(), "--no-progress", "-w", "2",
                    "--classifier", "cascade", "--llm-url", server.baseUrl(), "--escalate-below", "0.999"};
            assertThat(run(args)).as("exit code; stderr: %s", err).isZero();

            List<DocumentRecord> records = CliTest.records(results);
            assertThat(records).hasSize(12);
            long byLlm = records.stream().filter(r -> "ollama".equals(((Outcome.Classified) r.outcome()).decidedBy())).count();
            assertThat(byLlm).as("documents the LLM decided").isPositive().isEqualTo(server.calls());
            assertThat(records).allSatisfy(r -> assertThat(r.classifier())
                    .startsWith("cascade(embedding@").endsWith("<1.00>ollama@llama3.2:3b/p1)"));
            assertThat(out.toString()).contains("escalated", byLlm + " of 12 classified documents", "LLM time");

            int calls = server.calls();
            List<String> resumed = new ArrayList<>(List.of(args));
            resumed.add("--resume");
            assertThat(run(resumed.toArray(String[]::new))).as("stderr: %s", err).isZero();
            assertThat(server.calls()).as("LLM calls of the resumed rerun").isEqualTo(calls);
            assertThat(CliTest.records(results)).hasSize(12);
        }
    }

    @Test
    void twoServers_oneFailing_theRunCompletesThroughTheHealthyOne() throws Exception {
        Path docs = documents(30);
        Path results = temp.resolve("results.jsonl");
        try (LoopbackLlmServer healthy = new LoopbackLlmServer(call -> new Reply.Answer("news_article", 0.9));
                LoopbackLlmServer failing = new LoopbackLlmServer(call -> new Reply.Status(503, null))) {
            int code = run("classify", docs.toString(), "-o", results.toString(), "--no-progress", "-w", "4",
                    "--classifier", "ollama", "--llm-url", failing.baseUrl() + "," + healthy.baseUrl(),
                    "--llm-max-concurrent", "2");
            assertThat(code).as("stderr: %s", err).isZero();
            assertThat(CliTest.records(results)).hasSize(30)
                    .allSatisfy(r -> assertThat(r.outcome()).isInstanceOf(Outcome.Classified.class));
            assertThat(failing.calls()).as("calls to the failing server: its breaker opens after 5 failures,"
                    + " at most 4 more were in flight").isBetween(5, 9);
            assertThat(healthy.calls()).isEqualTo(30);
        }
    }

    @Test
    void openAiKey_isSentButNeverPrinted_orLogged() throws Exception {
        Path docs = documents(3);
        Path results = temp.resolve("results.jsonl");
        String key = "sk-test-" + System.nanoTime();
        AtomicInteger n = new AtomicInteger();
        // Faults first, so retries, warnings and a failure message are all written where the key could leak.
        try (LoopbackLlmServer server = new LoopbackLlmServer(call -> switch (n.getAndIncrement()) {
            case 0 -> new Reply.Status(500, null);
            case 1 -> new Reply.Status(401, null);
            default -> new Reply.Answer("news_article", 0.8);
        })) {
            Path log = temp.resolve("child.log");
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "classify", docs.toString(),
                    "-o", results.toString(), "-w", "1", "--no-progress", "-vv", "--classifier", "openai",
                    "--summary", temp.resolve("summary.json").toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("OPENAI_API_KEY", key);
            builder.environment().put("OPENAI_BASE_URL", server.baseUrl() + "/v1");
            Process child = builder.start();
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(log);
            assertThat(child.exitValue()).as("output:%n%s", output).isZero();

            assertThat(server.received()).isNotEmpty()
                    .allSatisfy(call -> assertThat(call.authorization()).isEqualTo("Bearer " + key));
            List<DocumentRecord> records = CliTest.records(results);
            assertThat(records).anySatisfy(r -> assertThat(r.outcome()).isInstanceOfSatisfying(Outcome.Failed.class,
                    f -> assertThat(f.message()).contains("401", "OPENAI_API_KEY")));
            assertThat(output).contains("HTTP 500").doesNotContain(key);
            assertThat(Files.readString(results)).doesNotContain(key);
            assertThat(Files.readString(temp.resolve("summary.json"))).doesNotContain(key);
        }
    }

    @Test
    void llmOptions_areChecked_beforeAnyWork() {
        Path results = temp.resolve("r.jsonl");
        assertThat(run("classify", BBC_BUSINESS.toString(), "-o", results.toString(), "--llm-url", "http://x:1")).isEqualTo(2);
        assertThat(err.toString()).contains("pass --classifier ollama, openai or cascade");
        assertThat(run("classify", BBC_BUSINESS.toString(), "-o", results.toString(), "--classifier", "ollama",
                "--llm-retries", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--llm-retries must be >= 0, got -1");
        assertThat(run("classify", BBC_BUSINESS.toString(), "-o", results.toString(), "--classifier", "cascade",
                "--escalate-below", "1.5")).isEqualTo(2);
        assertThat(err.toString()).contains("--escalate-below must be in [0, 1], got 1.5");
        assertThat(results).doesNotExist();
    }
}
