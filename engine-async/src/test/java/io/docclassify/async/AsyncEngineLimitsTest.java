package io.docclassify.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.docclassify.ConfigurationException;
import io.docclassify.DocumentClassifier;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.RunReport;
import io.docclassify.classify.RulesClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.contract.CollectingSink;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionProgress;
import io.docclassify.spi.Extractor;
import io.docclassify.spi.ResultSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The async engine's bounds: documents in flight, CPU permits, bytes being extracted, and dedup of documents in flight together. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AsyncEngineLimitsTest {

    @TempDir
    Path temp;

    private static final Classifier RULES = new RulesClassifier(Taxonomy.builtIn());

    @Test
    void anIoBoundClassifier_hasMaxConcurrentDocumentsWaitingAtOnce_andNeverMore() throws Exception {
        int maxConcurrent = 20;
        List<Path> inputs = textFiles(3 * maxConcurrent, i -> "Invoice " + i + ", amount due, bill to ACME");
        // The stand-in for an LLM waits until maxConcurrent calls wait together: that can only end if the
        // engine lets that many documents past the two CPU permits into the classifier at once.
        CountDownLatch allWaiting = new CountDownLatch(maxConcurrent);
        Gauge inClassifier = new Gauge();
        Classifier llm = new DelegatingClassifier(RULES, false, () -> {
            inClassifier.enter(1);
            try {
                allWaiting.countDown();
                if (!allWaiting.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("fewer than " + maxConcurrent + " documents reached the classifier at once");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inClassifier.exit(1);
            }
        });
        RunReport report = run(DocumentClassifier.builder().engine("async").classifier(llm).maxConcurrent(maxConcurrent)
                .cpuPermits(2), inputs).report;
        assertThat(report.classified()).as("every document classified").isEqualTo(inputs.size());
        assertThat(inClassifier.max()).as("documents waiting in the classifier at once").isEqualTo(maxConcurrent);
    }

    @Test
    void aCpuBoundClassifier_andExtraction_runOnlyUnderTheCpuPermits() throws Exception {
        List<Path> inputs = textFiles(40, i -> "Dear Sir, thank you for your letter number " + i);
        Gauge busy = new Gauge();
        Extractor extractor = new PlainTextExtractor(bytes -> {
            busy.enter(1);
            work(5);
            busy.exit(1);
            return bytes;
        });
        Classifier cpuBound = new DelegatingClassifier(RULES, true, () -> {
            busy.enter(1);
            work(5);
            busy.exit(1);
        });
        RunReport report = run(DocumentClassifier.builder().engine("async").extractor(extractor).classifier(cpuBound)
                .maxConcurrent(50).cpuPermits(2), inputs).report;
        assertThat(report.classified()).isEqualTo(inputs.size());
        assertThat(busy.max()).as("documents extracting or classifying at once, with 2 CPU permits and 50 in flight")
                .isBetween(1L, 2L);
        assertThat(report.stageMillis()).as("per-stage time in the run summary")
                .containsKeys("read", "hash", "permitWait", "extract", "classify", "sink");
        assertThat(report.stageMillis().get("permitWait")).as("40 documents queued for 2 CPU permits waited")
                .isPositive();
    }

    @Test
    void bytesBeingExtracted_stayWithinTheBudget_andAFileOverTheBudgetRunsAlone() throws Exception {
        long budget = 1 << 20;
        List<Path> inputs = new ArrayList<>(textFiles(8, i -> ("Memorandum " + i + " to all staff. ").repeat(20_000)));
        inputs.add(Files.writeString(temp.resolve("big.txt"), "Report on the year. ".repeat(150_000)));
        Gauge bytesInFlight = new Gauge();
        Extractor extractor = new PlainTextExtractor(bytes -> {
            bytesInFlight.enter(bytes);
            work(20);
            bytesInFlight.exit(bytes);
            return bytes;
        });
        RunReport report = run(DocumentClassifier.builder().engine("async").extractor(extractor).classifier(RULES)
                .maxConcurrent(50).cpuPermits(8).maxBytesInFlight(budget), inputs).report;
        assertThat(report.classified()).as("the file over the budget is processed too").isEqualTo(inputs.size());
        assertThat(Files.size(inputs.get(0))).as("test setup: two small files exceed the budget").isGreaterThan(budget / 2);
        assertThat(bytesInFlight.max()).as("bytes being extracted at once, budget %d", budget)
                .isLessThanOrEqualTo(Files.size(temp.resolve("big.txt")));
        assertThat(bytesInFlight.maxCount()).as("extractions at once: one small file at a time fits the budget")
                .isEqualTo(1);
    }

    @Test
    void copiesInFlightTogether_areExtractedAndClassifiedOnce() throws Exception {
        List<Path> inputs = new ArrayList<>(textFiles(30, i -> "Invoice 7, amount due, bill to ACME"));
        inputs.addAll(textFiles(30, i -> "This Agreement is made between the parties; governing law"));
        AtomicInteger extractions = new AtomicInteger();
        Extractor extractor = new PlainTextExtractor(bytes -> {
            extractions.incrementAndGet();
            work(50);
            return bytes;
        });
        AtomicInteger classifications = new AtomicInteger();
        Classifier counting = new DelegatingClassifier(RULES, true, classifications::incrementAndGet);
        Result result = run(DocumentClassifier.builder().engine("async").extractor(extractor).classifier(counting)
                .maxConcurrent(60), inputs);
        assertThat(result.records).hasSize(inputs.size());
        assertThat(extractions.get()).as("extractions of 2 distinct contents").isEqualTo(2);
        assertThat(classifications.get()).as("classifications of 2 distinct contents").isEqualTo(2);
        assertThat(result.report.duplicates()).isEqualTo(inputs.size() - 2);
        assertThat(result.records.stream().filter(r -> r.outcome() instanceof Outcome.Duplicate d
                && result.records.stream().anyMatch(o -> o.outcome() instanceof Outcome.Classified && o.sha256().equals(d.of()))))
                .as("each duplicate points at its content's classified record").hasSize(inputs.size() - 2);
    }

    @Test
    void aSinkSlowerThanThePipeline_holdsBackIntake_toMaxConcurrentDocumentsAhead() throws Exception {
        int maxConcurrent = 8;
        List<Path> inputs = textFiles(80, i -> "Memorandum " + i + " to all staff");
        AtomicInteger extracted = new AtomicInteger();
        AtomicInteger stored = new AtomicInteger();
        AtomicInteger mostAhead = new AtomicInteger();
        Extractor extractor = new PlainTextExtractor(bytes -> {
            mostAhead.accumulateAndGet(extracted.incrementAndGet() - stored.get(), Math::max);
            return bytes;
        });
        ResultSink slowSink = new ResultSink() {
            @Override
            public synchronized void accept(DocumentRecord record) {
                work(10); // a sink that takes 10 ms per record, slower than extraction and classification
                stored.incrementAndGet();
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        try (DocumentClassifier classifier = DocumentClassifier.builder().engine("async").extractor(extractor)
                .classifier(RULES).maxConcurrent(maxConcurrent).build()) {
            RunReport report = classifier.run(DocumentSources.files(inputs), slowSink);
            assertThat(report.classified()).isEqualTo(inputs.size());
        }
        assertThat(mostAhead.get()).as("documents extracted but not yet stored, at most")
                .isLessThanOrEqualTo(maxConcurrent);
    }

    @Test
    void maxConcurrentZero_isRejectedWithTheValue() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> DocumentClassifier.builder().maxConcurrent(0));
        assertThat(e).hasMessage("DocumentClassifier.maxConcurrent must be >= 1, got 0");
        ConfigurationException cpu = assertThrows(ConfigurationException.class,
                () -> DocumentClassifier.builder().cpuPermits(-1));
        assertThat(cpu).hasMessage("DocumentClassifier.cpuPermits must be >= 1, got -1");
    }

    @Test
    void theEngine_isFoundByName() {
        assertThat(DocumentClassifier.availableEngines()).contains("async");
    }

    private record Result(RunReport report, List<DocumentRecord> records) {}

    private static Result run(DocumentClassifier.Builder builder, List<Path> inputs) throws Exception {
        CollectingSink sink = new CollectingSink();
        try (DocumentClassifier classifier = builder.build()) {
            RunReport report = classifier.run(DocumentSources.files(inputs), sink);
            return new Result(report, sink.records());
        }
    }

    private List<Path> textFiles(int n, java.util.function.IntFunction<String> content) throws IOException {
        Path dir = Files.createTempDirectory(temp, "docs");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            files.add(Files.writeString(dir.resolve("doc" + i + ".txt"), content.apply(i)));
        }
        return files;
    }

    /** The work being simulated: a stage that takes this long. */
    private static void work(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The highest amount (and count of holders) seen inside a section at once. */
    private static final class Gauge {
        private final AtomicLong amount = new AtomicLong();
        private final AtomicLong count = new AtomicLong();
        private final AtomicLong maxAmount = new AtomicLong();
        private final AtomicLong maxCount = new AtomicLong();

        void enter(long units) {
            maxAmount.accumulateAndGet(amount.addAndGet(units), Math::max);
            maxCount.accumulateAndGet(count.incrementAndGet(), Math::max);
        }

        void exit(long units) {
            amount.addAndGet(-units);
            count.decrementAndGet();
        }

        long max() {
            return maxAmount.get();
        }

        long maxCount() {
            return maxCount.get();
        }
    }

    /** Reads a file as plain text, calling a hook with its size first. */
    private record PlainTextExtractor(LongUnaryOperator hook) implements Extractor {
        @Override
        public String id() {
            return "plain";
        }

        @Override
        public ExtractedText extract(Path file, ExtractionProgress progress) {
            try {
                hook.applyAsLong(Files.size(file));
                return ExtractedText.ofText(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A classifier that runs a hook, then delegates; it declares itself CPU- or I/O-bound. */
    private record DelegatingClassifier(Classifier delegate, boolean cpuBound, Runnable hook) implements Classifier {
        @Override
        public String id() {
            return delegate.id();
        }

        @Override
        public Outcome.Classified classify(ExtractedText text) {
            hook.run();
            return delegate.classify(text);
        }
    }
}
