package io.docclassify.benchmarks;

import io.docclassify.Outcome;
import io.docclassify.classify.EmbeddingClassifier;
import io.docclassify.classify.RulesClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.spi.ExtractedText;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The embedding classifier's throughput over both cores, against the rules classifier alone as a
 * baseline (the keyword evidence the embedding classifier also computes).
 *
 * <p>Workload: a news-like text of 5,000 characters (the default text budget), built-in taxonomy;
 * the model reads its first 128 tokens. Measured: {@code classify} calls per second summed over 2
 * threads, each call one ONNX Runtime thread (documents/second on a 2-core machine).
 * Run: {@code java --enable-native-access=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar
 * EmbeddingClassifierBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Threads(2)
public class EmbeddingClassifierBenchmark {

    private EmbeddingClassifier embedding;
    private RulesClassifier rules;
    private ExtractedText text;

    @Setup
    public void setUp() {
        Taxonomy taxonomy = Taxonomy.builtIn();
        embedding = new EmbeddingClassifier(taxonomy);
        rules = new RulesClassifier(taxonomy);
        String paragraph = "Shares in the company rose sharply on Tuesday after it reported better than expected "
                + "profits for the third quarter, helped by strong demand in Asia, analysts said. The firm said "
                + "sales grew by 12% and it expects the trend to continue next year, although rising costs remain "
                + "a concern for investors and the wider market.\n";
        StringBuilder sb = new StringBuilder("Profits lift shares at retailer\n");
        while (sb.length() < 5_000) {
            sb.append(paragraph);
        }
        text = ExtractedText.ofText(sb.substring(0, 5_000));
    }

    /** Baseline: the keyword rules alone. */
    @Benchmark
    public Outcome.Classified baselineRules() {
        return rules.classify(text);
    }

    @Benchmark
    public Outcome.Classified classify() {
        return embedding.classify(text);
    }
}
