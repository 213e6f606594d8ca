package io.docclassify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.docclassify.contract.SequentialEngine;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The facade over a sequential test engine, with a fake extractor and classifier: every document
 * ends as one record, whatever goes wrong with it, and the run goes on.
 */
@Timeout(30)
class DocumentClassifierTest {

    private static final Outcome.Classified INVOICE = new Outcome.Classified("invoice", 0.9, Map.of("invoice", 0.9));

    @TempDir
    Path dir;

    private FakeExtractor extractor;
    private final List<DocumentClassifier> opened = new ArrayList<>();

    @AfterEach
    void closeClassifiers() throws IOException {
        for (DocumentClassifier classifier : opened) {
            classifier.close();
        }
    }

    private static Classifier classifier(String id, Function<ExtractedText, Outcome.Classified> decide) {
        return new Classifier() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Outcome.Classified classify(ExtractedText text) {
                return decide.apply(text);
            }
        };
    }

    private DocumentClassifier.Builder builder(FakeExtractor.Parse parse) {
        extractor = new FakeExtractor(parse);
        return DocumentClassifier.builder().engine(new SequentialEngine()).workers(1).extractor(extractor)
                .classifier(classifier("fake", text -> INVOICE));
    }

    private DocumentClassifier open(DocumentClassifier.Builder builder) {
        DocumentClassifier classifier = builder.build();
        opened.add(classifier);
        return classifier;
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, UTF_8);
    }

    private static String sha256(String content) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(UTF_8)));
    }

    private static RunReport run(DocumentClassifier classifier, ListSink sink, Path... files)
            throws IOException, InterruptedException {
        RunReport report = classifier.run(DocumentSources.files(List.of(files)), sink);
        assertThat(sink.records).as("documents in = records out").hasSize(files.length);
        return report;
    }

    @Test
    void extractorThatThrows_failsItsDocumentAsCrashed_andTheRunGoesOn() throws Exception {
        Path bad = file("bad.txt", "bad");
        Path good = file("good.txt", "good");
        DocumentClassifier classifier = open(builder((file, progress) -> {
            if (file.equals(bad)) {
                throw new IllegalStateException("parser bug in fake");
            }
            return FakeExtractor.readText(file, progress);
        }));
        ListSink sink = new ListSink();

        run(classifier, sink, bad, good);

        assertThat(sink.failed(bad, Stage.EXTRACT, "crashed").message()).contains("parser bug in fake");
        assertThat(sink.only(bad).classifier()).as("no classifier decided").isNull();
        assertThat(sink.only(good).outcome()).isEqualTo(INVOICE);
    }

    @Test
    void classifierThatThrows_failsItsDocumentAtClassify() throws Exception {
        Path doc = file("doc.txt", "some text");
        DocumentClassifier classifier = open(builder(FakeExtractor::readText).classifier(classifier("broken", text -> {
            throw new ArithmeticException("model exploded");
        })));
        ListSink sink = new ListSink();

        run(classifier, sink, doc);

        assertThat(sink.failed(doc, Stage.CLASSIFY, "classifier_error").message()).contains("model exploded");
        assertThat(sink.only(doc).classifier()).as("the classifier that failed is named").isEqualTo("broken");
        assertThat(sink.only(doc).chars()).as("extraction succeeded and is recorded").isEqualTo("some text".length());
    }

    /** A pathological text can overflow a classifier's stack; like a parser crash, it is that document's problem. */
    @Test
    void classifierStackOverflow_failsOnlyItsDocument() throws Exception {
        Path poison = file("poison.txt", "((((((((");
        Path next = file("next.txt", "fine");
        DocumentClassifier classifier = open(builder(FakeExtractor::readText).classifier(classifier("deep", text -> {
            if (text.text().startsWith("(")) {
                throw new StackOverflowError("nested too deep");
            }
            return INVOICE;
        })));
        ListSink sink = new ListSink();

        run(classifier, sink, poison, next);

        sink.failed(poison, Stage.CLASSIFY, "classifier_error");
        assertThat(sink.only(next).outcome()).as("the run goes on").isEqualTo(INVOICE);
    }

    @Test
    void blankText_failsAtExtractAsNoText() throws Exception {
        Path scan = file("scan.pdf", "%PDF pretend scan");
        DocumentClassifier classifier = open(builder((file, progress) -> ExtractedText.ofText(" \n\t ")));
        ListSink sink = new ListSink();

        run(classifier, sink, scan);

        assertThat(sink.failed(scan, Stage.EXTRACT, "no_text").message()).contains("ExtractionLimits.ocr");
    }

    @Test
    void missingFile_failsAtReadAsNotFound_withoutHash() throws Exception {
        Path missing = dir.resolve("gone.pdf");
        DocumentClassifier classifier = open(builder(FakeExtractor::readText));
        ListSink sink = new ListSink();

        run(classifier, sink, missing);

        sink.failed(missing, Stage.READ, "not_found");
        assertThat(sink.only(missing).sha256()).as("nothing was read, so no hash may be invented").isNull();
        assertThat(sink.only(missing).bytes()).isNull();
        assertThat(extractor.calls()).isZero();
    }

    @Test
    void emptyFile_failsAtReadAsEmpty_withoutParsing() throws Exception {
        Path empty = file("empty.txt", "");
        DocumentClassifier classifier = open(builder(FakeExtractor::readText));
        ListSink sink = new ListSink();

        run(classifier, sink, empty);

        sink.failed(empty, Stage.READ, "empty");
        assertThat(sink.only(empty).bytes()).isZero();
        assertThat(sink.only(empty).sha256()).isEqualTo(sha256(""));
        assertThat(extractor.calls()).isZero();
    }

    @Test
    void fileOverMaxBytes_failsAtReadAsTooLarge_beforeParsing() throws Exception {
        Path big = file("big.txt", "x".repeat(11));
        Path small = file("small.txt", "0123456789");
        DocumentClassifier classifier = open(builder(FakeExtractor::readText)
                .limits(ExtractionLimits.defaults().withMaxBytes(10)));
        ListSink sink = new ListSink();

        run(classifier, sink, big, small);

        assertThat(sink.failed(big, Stage.READ, "too_large").message())
                .contains("11").contains("10").contains("--max-file-size");
        assertThat(sink.only(small).outcome()).as("exactly at the limit is allowed").isEqualTo(INVOICE);
        assertThat(extractor.calls()).as("only the small file is parsed").isEqualTo(1);
    }

    @Test
    void identicalContent_isClassifiedOnceThenRecordedAsDuplicate() throws Exception {
        Path first = file("first.txt", "same content");
        Path copy = file("copy.txt", "same content");
        DocumentClassifier classifier = open(builder(FakeExtractor::readText));
        ListSink sink = new ListSink();

        RunReport report = run(classifier, sink, first, copy);

        assertThat(sink.only(first).outcome()).isEqualTo(INVOICE);
        assertThat(sink.only(copy).outcome()).isEqualTo(new Outcome.Duplicate(sha256("same content")));
        assertThat(sink.only(copy).sha256()).isEqualTo(sha256("same content"));
        assertThat(extractor.calls()).as("the copy is not parsed again").isEqualTo(1);
        assertThat(report.classified()).isEqualTo(1);
        assertThat(report.duplicates()).isEqualTo(1);
    }

    @Test
    void dedupOff_classifiesEveryCopy() throws Exception {
        Path first = file("first.txt", "same content");
        Path copy = file("copy.txt", "same content");
        DocumentClassifier classifier = open(builder(FakeExtractor::readText).dedup(false));
        ListSink sink = new ListSink();

        run(classifier, sink, first, copy);

        assertThat(sink.records).extracting(DocumentRecord::outcome).containsExactly(INVOICE, INVOICE);
        assertThat(extractor.calls()).isEqualTo(2);
    }

    @Test
    void mixedRun_reportCountsEveryOutcome() throws Exception {
        Path good = file("good.txt", "good");
        Path copy = file("copy.txt", "good");
        Path empty = file("empty.txt", "");
        Path missing = dir.resolve("missing.txt");
        DocumentClassifier classifier = open(builder(FakeExtractor::readText));

        RunReport report = run(classifier, new ListSink(), good, copy, empty, missing);

        assertThat(report.documents()).isEqualTo(4);
        assertThat(report.classified()).isEqualTo(1);
        assertThat(report.duplicates()).isEqualTo(1);
        assertThat(report.failuresByReason()).containsExactly(Map.entry("read/empty", 1L), Map.entry("read/not_found", 1L));
        assertThat(report.byLabel()).containsExactly(Map.entry("invoice", 1L));
        assertThat(report.engine()).isEqualTo("sequential");
    }

    @Test
    void classifyOneFile_returnsItsRecordWithoutTouchingTheSink() throws Exception {
        Path doc = file("doc.txt", "an invoice");
        ListSink sink = new ListSink();
        DocumentClassifier classifier = open(builder(FakeExtractor::readText).sink(sink));

        DocumentRecord record = classifier.classify(doc);
        DocumentRecord again = classifier.classify(doc);

        assertThat(record.outcome()).isEqualTo(INVOICE);
        assertThat(record.path()).isEqualTo(doc.toString());
        assertThat(record.sha256()).isEqualTo(sha256("an invoice"));
        assertThat(record.classifier()).isEqualTo("fake");
        assertThat(record.timingsMs()).containsKeys("hash", "extract", "classify");
        assertThat(again.outcome()).as("classify(Path) does no dedup").isEqualTo(INVOICE);
        assertThat(sink.calls.get()).as("classify(Path) must not use the sink").isZero();
    }

    @Test
    void classifyOneFile_missing_givesAFailedRecordNotAnException() throws Exception {
        DocumentClassifier classifier = open(builder((file, progress) -> fail("must not parse a missing file")));

        DocumentRecord record = classifier.classify(dir.resolve("nope.txt"));

        assertThat(record.outcome()).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.stage()).isEqualTo(Stage.READ);
            assertThat(failed.reason()).isEqualTo("not_found");
        });
    }
}
