package io.docclassify.benchmarks;

import com.hazelcast.core.HazelcastInstance;
import io.docclassify.DocumentClassifier;
import io.docclassify.ExtractionLimits;
import io.docclassify.RunReport;
import io.docclassify.classify.ClassifierSpec;
import io.docclassify.hazelcast.ClusterNode;
import io.docclassify.hazelcast.EngineSettings;
import io.docclassify.hazelcast.HazelcastEngine;
import io.docclassify.hazelcast.NodeSettings;
import io.docclassify.hazelcast.PipelineSpec;
import io.docclassify.source.DocumentSources;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of distribution: the papers corpus on {@code local} (the baseline) and on {@code hazelcast}
 * with one member, on the same machine.
 *
 * <p>Workload: the 138 PDFs of {@code ../shared/corpus/throughput_pdfs_papers_we_love} (or
 * {@code -Ddocclassify.corpus=DIR}), default pipeline (Tika with the 5,000-character budget, the
 * embedding classifier), two workers, chunks of 10, no sink. For {@code hazelcast} one member with two
 * workers runs in the benchmark's JVM and each run submits through a client over loopback: it ships
 * the spec, streams chunks, and takes the records back. The client connects once per trial, as a
 * long-lived host would (the CLI connects per run, about a second more, a constant not a rate).
 * Measured: wall time of one whole run (single shot; three warm-up runs, since Tika and the ONNX model keep getting faster over the first runs); documents/s = 138 /
 * time. The member's pipeline is built once and reused across runs, like a long-lived node's.
 * Run: {@code java --add-opens java.base/java.lang=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar ClusterOverheadBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED", "--add-modules", "java.se",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"})
public class ClusterOverheadBenchmark {

    @Param({"local", "hazelcast"})
    String engine;

    private Path papers;
    private ClusterNode member;
    private HazelcastInstance client;
    private DocumentClassifier classifier;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        papers = Path.of(System.getProperty("docclassify.corpus", "../shared/corpus"),
                "throughput_pdfs_papers_we_love", "docs");
        if (!Files.isDirectory(papers)) {
            throw new IllegalStateException("the papers corpus is missing at " + papers.toAbsolutePath()
                    + "; run from the checkout beside ../shared/corpus or pass -Ddocclassify.corpus=DIR");
        }
        DocumentClassifier.Builder builder = DocumentClassifier.builder().workers(2).chunkSize(10);
        if (engine.equals("hazelcast")) {
            String cluster = "bench-" + UUID.randomUUID();
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            member = ClusterNode.start(new NodeSettings(cluster, List.of(), "127.0.0.1", port, 2), Duration.ofSeconds(5));
            EngineSettings settings = EngineSettings.client(List.of(member.address())).withClusterName(cluster)
                    .withSpec(new PipelineSpec(new ClassifierSpec.Embedding(null), ExtractionLimits.defaults()));
            client = HazelcastEngine.connect(settings);
            builder.engine(new HazelcastEngine(client, settings));
        } else {
            builder.engine("local");
        }
        classifier = builder.build();
    }

    @Benchmark
    public RunReport classifyPapers() throws Exception {
        return classifier.run(DocumentSources.directory(papers, false));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        classifier.close();
        if (client != null) {
            client.shutdown();
        }
        if (member != null) {
            member.close();
        }
    }
}
