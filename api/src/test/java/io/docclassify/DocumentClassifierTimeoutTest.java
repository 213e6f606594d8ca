package io.docclassify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.contract.SequentialEngine;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The time budgets the facade puts on any extractor: no progress, and total. */
@Timeout(30)
class DocumentClassifierTimeoutTest {

    private static final Outcome.Classified INVOICE = new Outcome.Classified("invoice", 0.9, Map.of("invoice", 0.9));
    private static final ExtractionLimits SHORT_BUDGETS =
            ExtractionLimits.defaults().withTimeouts(Duration.ofMillis(500), Duration.ofMillis(300));

    @TempDir
    Path dir;

    /** Released after each test, so that a fake parse that ignores interrupts still ends. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<DocumentClassifier> opened = new ArrayList<>();

    @AfterEach
    void releaseStuckParses() throws IOException {
        release.countDown();
        for (DocumentClassifier classifier : opened) {
            classifier.close();
        }
    }

    private DocumentClassifier classifier(FakeExtractor.Parse parse) {
        DocumentClassifier classifier = DocumentClassifier.builder().engine(new SequentialEngine()).workers(1)
                .extractor(new FakeExtractor(parse)).classifier(new Classifier() {
                    @Override
                    public String id() {
                        return "fake";
                    }

                    @Override
                    public Outcome.Classified classify(ExtractedText text) {
                        return INVOICE;
                    }
                }).limits(SHORT_BUDGETS).build();
        opened.add(classifier);
        return classifier;
    }

    private Path file(String name) throws IOException {
        return Files.writeString(dir.resolve(name), name, UTF_8);
    }

    private static RunReport run(DocumentClassifier classifier, ListSink sink, Path... files)
            throws IOException, InterruptedException {
        RunReport report = classifier.run(DocumentSources.files(List.of(files)), sink);
        assertThat(sink.records).as("documents in = records out").hasSize(files.length);
        return report;
    }

    /** A parse that produces text every 10 ms until its caller cancels it. */
    private ExtractedText progressUntilCancelled(Path file, ExtractionProgress progress)
            throws ExtractionException {
        while (!progress.cancelled()) {
            progress.advanced();
            try {
                release.await(10, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // the guard interrupts as it cancels; cancelled() ends the loop
            }
        }
        throw new ExtractionException(FailureReason.TIMEOUT, null, "stopped", null);
    }

    @Test
    void hangingExtractor_failsItsDocumentWithTimeout_andTheRunGoesOn() throws Exception {
        Path hang = file("hang.txt");
        Path next = file("next.txt");
        DocumentClassifier classifier = classifier((file, progress) -> {
            if (file.equals(hang)) {
                while (true) {
                    try {
                        release.await(); // a parser stuck in native code: no progress, deaf to interrupts
                        return ExtractedText.ofText("too late");
                    } catch (InterruptedException ignored) {
                        // keep hanging
                    }
                }
            }
            return FakeExtractor.readText(file, progress);
        });
        ListSink sink = new ListSink();

        long start = System.nanoTime();
        RunReport report = run(classifier, sink, hang, next);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        Outcome.Failed failed = sink.failed(hang, Stage.EXTRACT, "timeout");
        assertThat(failed.message()).contains("no progress").contains("ExtractionLimits.noProgressTimeout");
        assertThat(sink.only(hang).timingsMs().get("extract")).as("given up after the 300 ms no-progress budget")
                .isGreaterThanOrEqualTo(300L).isLessThan(2_000L);
        assertThat(sink.only(hang).sha256()).as("the file was hashed before the parse").isNotNull();
        assertThat(sink.only(next).outcome()).as("the next document is unaffected").isEqualTo(INVOICE);
        assertThat(elapsedMillis).as("the run waits for the stuck parse only up to its budget").isLessThan(5_000L);
        assertThat(report.failuresByReason()).containsExactly(Map.entry("extract/timeout", 1L));
        assertThat(report.abandonedExtractions()).as("the deaf thread still runs and is counted").isEqualTo(1);
    }

    @Test
    void extractorThatProgressesPastTheTotalBudget_timesOutNamingTheTotalBudget() throws Exception {
        Path slow = file("slow.txt");
        CountDownLatch sawCancel = new CountDownLatch(1);
        DocumentClassifier classifier = classifier((file, progress) -> {
            try {
                return progressUntilCancelled(file, progress);
            } finally {
                sawCancel.countDown();
            }
        });
        ListSink sink = new ListSink();

        run(classifier, sink, slow);

        Outcome.Failed failed = sink.failed(slow, Stage.EXTRACT, "timeout");
        assertThat(failed.message()).as("the total budget, not the no-progress one, ran out")
                .contains("budget").contains("ExtractionLimits.totalTimeout").doesNotContain("no progress");
        assertThat(sink.only(slow).timingsMs().get("extract")).isGreaterThanOrEqualTo(500L);
        assertThat(sawCancel.await(5, TimeUnit.SECONDS)).as("the extractor must learn it was cancelled and stop")
                .isTrue();
    }

    @Test
    void timeoutMessages_stateSubSecondBudgetsAsConfigured() throws Exception {
        Path hang = file("hang.txt");
        Path slow = file("slow.txt");
        DocumentClassifier classifier = classifier((file, progress) -> {
            if (file.equals(slow)) {
                return progressUntilCancelled(file, progress);
            }
            release.await(); // no progress; interrupted when the guard gives up
            return ExtractedText.ofText("too late");
        });
        ListSink sink = new ListSink();

        run(classifier, sink, hang, slow);

        assertThat(sink.failed(hang, Stage.EXTRACT, "timeout").message())
                .as("a 300 ms no-progress budget must not read as '0 s'").containsAnyOf("300 ms", "0.3 s");
        assertThat(sink.failed(slow, Stage.EXTRACT, "timeout").message())
                .as("a 500 ms total budget must not read as '0 s'").containsAnyOf("500 ms", "0.5 s");
    }
}
