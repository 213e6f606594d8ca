package io.docclassify;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.classify.RulesClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.contract.Corpus;
import io.docclassify.contract.SequentialEngine;
import io.docclassify.extract.Scans;
import io.docclassify.source.DocumentSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Tesseract that hangs, crashes or prints garbage (stand-ins on the executable's place) fails only the
 * scanned document, with a reason, within its time budget, leaves no process behind, and the run goes
 * on: in this JVM and in child JVMs.
 */
@Timeout(180)
class OcrFaultsTest {

    /** Long enough for a fresh child JVM's first parse on a loaded machine; the hang is killed at it. */
    private static final Duration BUDGET = Duration.ofSeconds(10);
    private static final Path INVOICE = Corpus.file("business_docs/docs/invoice/invoice2data__AmazonWebServices.pdf");

    @TempDir
    Path dir;

    @AfterEach
    void forgetStandIn() {
        System.clearProperty("docclassify.tesseract");
    }

    @ParameterizedTest(name = "{0}, isolated: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            hangs           | false | exec sleep 600                                             | timeout    | ExtractionLimits.totalTimeout
            hangs           | true  | exec sleep 600                                             | timeout    | killed and replaced
            crashes         | false | kill -SEGV $$                                              | ocr_failed | exit code
            crashes         | true  | kill -SEGV $$                                              | ocr_failed | exit code
            prints garbage  | false | i=0; while [ $i -lt 500 ]; do printf 'ab\\001\\377\\376'; i=$((i+1)); done | ocr_failed | garbage
            prints garbage  | true  | i=0; while [ $i -lt 500 ]; do printf 'ab\\001\\377\\376'; i=$((i+1)); done | ocr_failed | garbage
            prints forever  | false | exec yes nonsense                                          | ocr_failed | KiB
            """)
    void aFaultyTesseract_failsOnlyTheScan_withItsReason_withinTheBudget_leavingNoProcess(String fault,
            boolean isolated, String script, String reason, String messagePart) throws Exception {
        Files.createDirectories(dir.resolve("bin"));
        System.setProperty("docclassify.tesseract", Scans.standIn(dir.resolve("bin"), script).toString());
        Path scan = Scans.scanOf(INVOICE, 1, dir.resolve("scan.pdf"));
        Path paper = Corpus.papers(1).get(0);
        List<Path> inputs = List.of(INVOICE, scan, paper);
        ListSink sink = new ListSink();
        DocumentClassifier.Builder builder = DocumentClassifier.builder().engine(new SequentialEngine()).workers(1)
                .classifier(new RulesClassifier(Taxonomy.builtIn()))
                .limits(ExtractionLimits.defaults().withOcr(true).withTimeouts(BUDGET, BUDGET));
        if (isolated) {
            builder.isolate(Isolation.defaults());
        }
        try (DocumentClassifier classifier = builder.build()) {
            RunReport report = classifier.run(DocumentSources.files(inputs), sink);
            assertThat(report.documents()).as("documents in = records out").isEqualTo(inputs.size());
        }

        DocumentRecord failed = sink.only(scan);
        assertThat(failed.outcome()).as("the scan, when Tesseract %s", fault).isInstanceOfSatisfying(
                Outcome.Failed.class, f -> {
                    assertThat(f.stage()).isEqualTo(Stage.EXTRACT);
                    assertThat(f.reason()).isEqualTo(reason);
                    assertThat(f.message()).contains(messagePart);
                });
        assertThat(failed.timingsMs().get("extract")).as("time the scan took, against its budget of %s", BUDGET)
                .isLessThan(BUDGET.toMillis() + 3_000);
        for (Path bornDigital : List.of(INVOICE, paper)) {
            assertThat(sink.only(bornDigital).outcome()).as("%s beside the scan", bornDigital)
                    .isInstanceOf(Outcome.Classified.class);
        }
        // retiring extraction children may take a moment
        Awaitility.await("no process left behind when Tesseract " + fault).atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(leftBehind()).as("processes left behind when Tesseract %s", fault).isEmpty());
    }

    /** Processes this JVM started that are alive and are not JVMs. */
    private static List<String> leftBehind() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse("pid " + p.pid()))
                .filter(command -> !command.contains("java")).toList();
    }
}
