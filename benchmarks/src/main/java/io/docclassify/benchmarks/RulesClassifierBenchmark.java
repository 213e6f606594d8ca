package io.docclassify.benchmarks;

import io.docclassify.Outcome;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The rules classifier's cost per document, against a baseline that only lower-cases the text.
 *
 * <p>Workload: a synthetic invoice-like text of {@code chars} characters (the default text budget is
 * 5,000). Measured: average time per {@code classify} call, one thread.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar RulesClassifierBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RulesClassifierBenchmark {

    @Param({"1500", "5000"})
    int chars;

    private RulesClassifier classifier;
    private ExtractedText text;

    @Setup
    public void setUp() {
        classifier = new RulesClassifier(Taxonomy.builtIn());
        String line = "Invoice number 2024-0042, bill to ACME Corp., 12 units at unit price 19.99, subtotal, VAT, "
                + "amount due within 30 days. Payment terms: net 30. ";
        StringBuilder sb = new StringBuilder();
        while (sb.length() < chars) {
            sb.append(line);
        }
        text = ExtractedText.ofText(sb.substring(0, chars));
    }

    /** Baseline: a single pass over the text that any classifier must at least make. */
    @Benchmark
    public String baselineLowerCase() {
        return text.text().toLowerCase(java.util.Locale.ROOT);
    }

    @Benchmark
    public Outcome.Classified classify() {
        return classifier.classify(text);
    }
}
