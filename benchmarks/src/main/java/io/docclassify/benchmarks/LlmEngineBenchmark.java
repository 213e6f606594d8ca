package io.docclassify.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.docclassify.DocumentClassifier;
import io.docclassify.DocumentRecord;
import io.docclassify.RunReport;
import io.docclassify.classify.Taxonomy;
import io.docclassify.llm.LlmClassifier;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.ResultSink;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Documents per second through an engine when each document waits for an LLM that answers after a
 * fixed delay: how well an engine keeps a slow, I/O-bound classifier saturated.
 *
 * <p>Workload: {@value #DOCUMENTS} small plain-text documents (about 600 characters each) in a
 * temporary folder, classified with the {@code ollama} classifier against an Ollama-shaped HTTP
 * server on loopback that answers every {@code /api/chat} call after {@code delayMillis}. The engine
 * runs {@code inFlight} documents at once ({@code workers} threads on {@code local}, {@code maxConcurrent}
 * virtual threads on {@code async}), and the classifier allows as many
 * requests in flight. Measured: documents per second over whole runs (throughput mode, one op = one
 * document). The baseline is the ideal {@code inFlight * 1000 / delayMillis} (50/s at 50 in flight and 1 s).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar LlmEngineBenchmark -p engine=local,async}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 8)
@Measurement(iterations = 3, time = 12)
@Fork(1)
public class LlmEngineBenchmark {

    static final int DOCUMENTS = 200;

    /** The engine's name. */
    @Param({"local", "async"})
    String engine;

    @Param({"50"})
    int inFlight;

    @Param({"1000"})
    int delayMillis;

    private HttpServer server;
    private ExecutorService serverThreads;
    private Path folder;
    private DocumentClassifier classifier;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        serverThreads = Executors.newVirtualThreadPerTaskExecutor();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1_000);
        server.createContext("/api/chat", this::answer);
        server.setExecutor(serverThreads);
        server.start();
        folder = Files.createTempDirectory("llm-bench");
        String text = "Quarterly report of the sales department. Revenue grew in every region; costs stayed flat. ";
        for (int i = 0; i < DOCUMENTS; i++) {
            Files.writeString(folder.resolve("doc-" + i + ".txt"), "Document " + i + ". " + text.repeat(6));
        }
        LlmClassifier llm = LlmClassifier.ollama(Taxonomy.builtIn())
                .urls(List.of("http://127.0.0.1:" + server.getAddress().getPort()))
                .maxConcurrent(inFlight).timeout(Duration.ofSeconds(30)).build();
        classifier = DocumentClassifier.builder().engine(engine).workers(inFlight).maxConcurrent(inFlight).chunkSize(1)
                .classifier(llm).build();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            Thread.sleep(delayMillis);
            byte[] body = ("{\"model\":\"llama3.2:3b\",\"created_at\":\"2026-11-29T00:00:00Z\",\"message\":{\"role\":"
                    + "\"assistant\",\"content\":\"{\\\"label\\\":\\\"report\\\",\\\"confidence\\\":0.9}\"},\"done\":true}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Benchmark
    @OperationsPerInvocation(DOCUMENTS)
    public RunReport classifyFolder() throws Exception {
        RunReport report = classifier.run(DocumentSources.directory(folder, false), new Discard());
        if (report.classified() != DOCUMENTS) {
            throw new IllegalStateException("expected " + DOCUMENTS + " classified documents, got " + report);
        }
        return report;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        classifier.close();
        server.stop(0);
        serverThreads.shutdownNow();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(files::add);
        }
        for (Path f : files) {
            Files.deleteIfExists(f);
        }
    }

    /** Records go nowhere: the sink is not what is measured. */
    private static final class Discard implements ResultSink {
        @Override
        public void accept(DocumentRecord record) {}

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
