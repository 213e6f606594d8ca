package io.docclassify.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.docclassify.DocumentClassifier;
import io.docclassify.DocumentRecord;
import io.docclassify.ExtractionLimits;
import io.docclassify.Outcome;
import io.docclassify.RunReport;
import io.docclassify.classify.Taxonomy;
import io.docclassify.extract.TikaExtractor;
import io.docclassify.sink.JsonLinesSink;
import io.docclassify.sink.RecordJson;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.Engine;
import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionProgress;
import io.docclassify.spi.Extractor;
import io.docclassify.spi.PriorResults;
import io.docclassify.spi.ResultSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The invariants every engine must keep (each document ends as exactly one record, a stopped run resumes
 * without repeats, a hung parse fails alone, a failed sink stops the run, labels match the sequential
 * reference); each engine's test class extends this and names its engine.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class EngineContract {

    /** A fresh instance of the engine under test. */
    protected abstract Engine engine();

    @TempDir
    protected Path temp;

    /** Real documents of many kinds, hostile ones included, plus made-up trouble: empty, corrupt, duplicate, missing. */
    protected List<Path> mixedInputs() throws IOException {
        List<Path> inputs = new ArrayList<>(Corpus.papers(3));
        inputs.add(Corpus.file("business_docs/docs/contract/cuad_test__09_outsourcing_sykeshealthplan.pdf"));
        inputs.add(Corpus.file("business_docs/docs/invoice/invoice2data__QualityHosting.pdf"));
        inputs.add(Corpus.file("bbc_news/docs/business/001.txt"));
        for (String hostile : List.of("tika-parser-microsoft-module/testWORD_truncated.docx",
                "tika-parser-pkg-module/testZ_oom.Z", "tika-parser-xml-module/testXXE.xml", "tika-parser-pkg-module/quine.gz",
                "tika-parser-microsoft-module/testEXCEL_protected_passtika.xlsx",
                "tika-parser-microsoft-module/testPPT_custom_props.pptx")) {
            inputs.add(Corpus.file("tika_test_documents/files/" + hostile));
        }
        inputs.add(Files.createFile(temp.resolve("empty.pdf")));
        inputs.add(Files.write(temp.resolve("corrupt.pdf"), "%PDF-1.7\n\u0000garbage".getBytes(StandardCharsets.ISO_8859_1)));
        inputs.add(Files.copy(inputs.get(0), temp.resolve("copy-of-first.pdf")));
        inputs.add(temp.resolve("does-not-exist.pdf"));
        return inputs;
    }

    protected DocumentClassifier.Builder classifier() {
        return DocumentClassifier.builder().engine(engine()).workers(2).chunkSize(2);
    }

    @Test
    void everyDocument_endsAsExactlyOneRecord_withStageAndReasonForFailures() throws Exception {
        List<Path> inputs = mixedInputs();
        CollectingSink sink = new CollectingSink();
        RunReport report;
        try (DocumentClassifier classifier = classifier().build()) {
            report = classifier.run(DocumentSources.files(inputs), sink);
        }
        List<DocumentRecord> records = sink.records();
        assertThat(records).as("one record per input document").hasSize(inputs.size());
        assertThat(records).extracting(DocumentRecord::path).as("each path recorded once")
                .containsExactlyInAnyOrderElementsOf(inputs.stream().map(Path::toString).toList());
        assertThat(report.documents()).isEqualTo(inputs.size());
        Set<String> labels = Set.copyOf(Taxonomy.builtIn().labelNames());
        for (DocumentRecord record : records) {
            switch (record.outcome()) {
                case Outcome.Classified c -> assertThat(labels).as("label of %s", record.path()).contains(c.label());
                case Outcome.Failed f -> assertThat(f.reason()).as("reason of %s", record.path()).matches("[a-z_]+");
                case Outcome.Duplicate d -> assertThat(records).as("the first record of %s", record.path())
                        .anyMatch(r -> d.of().equals(r.sha256()) && !(r.outcome() instanceof Outcome.Duplicate));
            }
        }
        Map<String, String> outcomes = records.stream().collect(Collectors.toMap(
                r -> Path.of(r.path()).getFileName().toString(), r -> r.outcome() instanceof Outcome.Failed f
                        ? f.stage().code() + "/" + f.reason() : r.outcome().code(), (a, b) -> a));
        assertThat(outcomes).containsEntry("does-not-exist.pdf", "read/not_found")
                .containsEntry("empty.pdf", "read/empty")
                .containsEntry("testWORD_truncated.docx", "extract/parse_error")
                .containsEntry("testEXCEL_protected_passtika.xlsx", "extract/encrypted");
        assertThat(report.duplicates()).as("the copy of the first paper is a duplicate").isEqualTo(1);
    }

    @Test
    void stoppedMidway_thenResumed_recordsEveryDocumentOnce() throws Exception {
        // More documents than any engine under test holds in flight (a cluster of 3 members with 2 workers
        // each takes 2 chunks of 2 per worker: 24), so a stop after the third record must leave some undone.
        List<Path> inputs = new ArrayList<>(Corpus.papers(28));
        inputs.add(Files.copy(inputs.get(0), temp.resolve("duplicate.pdf")));
        inputs.add(temp.resolve("missing.pdf"));
        Path results = temp.resolve("results.jsonl");
        RunReport first;
        try (DocumentClassifier classifier = classifier().build();
                JsonLinesSink sink = JsonLinesSink.open(results, JsonLinesSink.Mode.CREATE)) {
            AtomicInteger seen = new AtomicInteger();
            first = classifier.run(DocumentSources.files(inputs), new ForwardingSink(sink, record -> {
                if (seen.incrementAndGet() == 3) {
                    classifier.stop();
                }
            }));
        }
        assertThat(first.stopped()).as("the first run was stopped").isTrue();
        assertThat(lines(results)).as("the stopped run left some documents undone").hasSizeLessThan(inputs.size());

        RunReport second;
        try (DocumentClassifier classifier = classifier().build();
                JsonLinesSink sink = JsonLinesSink.open(results, JsonLinesSink.Mode.RESUME)) {
            second = classifier.run(DocumentSources.files(inputs), sink);
        }
        List<DocumentRecord> records = lines(results);
        assertThat(records).extracting(DocumentRecord::path).as("every document exactly once after resume")
                .containsExactlyInAnyOrderElementsOf(inputs.stream().map(Path::toString).toList());
        assertThat(second.resumed() + second.documents()).isEqualTo(inputs.size());
        assertThat(second.resumed()).as("documents done by the first run are skipped").isEqualTo(first.documents());
    }

    @Test
    void aParseThatNeverReturns_failsAlone_andTheRunGoesOn() throws Exception {
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            inputs.add(Files.writeString(temp.resolve("doc" + i + ".txt"), "Invoice number " + i + ", amount due"));
        }
        Extractor hangsOnDoc3 = new Extractor() {
            @Override
            public String id() {
                return "hangs";
            }

            @Override
            public ExtractedText extract(Path file, ExtractionProgress progress) {
                if (file.endsWith("doc3.txt")) {
                    while (true) {
                        LockSupport.parkNanos(1_000_000_000L); // deaf to interrupts and cancellation alike
                    }
                }
                return ExtractedText.ofText(readQuietly(file));
            }
        };
        CollectingSink sink = new CollectingSink();
        RunReport report;
        try (DocumentClassifier classifier = classifier().extractor(hangsOnDoc3)
                .limits(ExtractionLimits.defaults().withTimeouts(Duration.ofMillis(800), Duration.ofMillis(400)))
                .build()) {
            report = classifier.run(DocumentSources.files(inputs), sink);
        }
        assertThat(sink.records()).hasSize(inputs.size());
        DocumentRecord hung = sink.records().stream().filter(r -> r.path().endsWith("doc3.txt")).findFirst().orElseThrow();
        assertThat(hung.outcome()).isInstanceOfSatisfying(Outcome.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo("timeout");
            assertThat(f.message()).contains("no progress");
        });
        assertThat(report.classified()).as("the other documents are classified").isEqualTo(inputs.size() - 1);
        assertThat(report.abandonedExtractions()).as("the deaf parse is counted as abandoned").isEqualTo(1);
    }

    @Test
    void aSinkThatFails_stopsTheRun_andTheErrorReachesTheCaller() throws Exception {
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            inputs.add(Files.writeString(temp.resolve("memo" + i + ".txt"), "Memorandum " + i + " to all staff"));
        }
        try (DocumentClassifier classifier = classifier().build()) {
            IOException e = assertThrows(IOException.class,
                    () -> classifier.run(DocumentSources.files(inputs), new CollectingSink(5)));
            assertThat(e).hasMessageContaining("disk full");
        }
    }

    @Test
    void labels_matchThoseOfTheSequentialReference() throws Exception {
        List<Path> inputs = new ArrayList<>(Corpus.papers(4));
        inputs.add(Corpus.file("business_docs/docs/contract/cuad_test__09_outsourcing_sykeshealthplan.pdf"));
        inputs.add(Corpus.file("business_docs/docs/invoice/invoice2data__AmazonWebServices.pdf"));
        inputs.add(Corpus.file("bbc_news/docs/sport/001.txt"));
        Map<String, String> engineLabels = labels(classifier(), inputs);
        Map<String, String> referenceLabels = labels(
                DocumentClassifier.builder().engine(new SequentialEngine()).extractor(new TikaExtractor(ExtractionLimits.defaults())),
                inputs);
        assertThat(engineLabels).as("labels per path, engine vs sequential reference").isEqualTo(referenceLabels);
    }

    @Test
    void split_givesTheSegmentsOfTheSequentialReference_andWithoutSplitRecordsHaveNone() throws Exception {
        Path stream = temp.resolve("batch.pdf");
        try (PDDocument out = new PDDocument();
                PDDocument paper = Loader.loadPDF(Corpus.papers(1).getFirst().toFile());
                PDDocument invoice = Loader.loadPDF(Corpus.file(
                        "business_docs/docs/invoice/invoice2data__AmazonWebServices.pdf").toFile());
                PDDocument resume = Loader.loadPDF(Corpus.file(
                        "business_docs/docs/resume/ACCOUNTANT/10554236.pdf").toFile())) {
            out.importPage(paper.getPage(0));
            out.importPage(paper.getPage(1));
            out.importPage(invoice.getPage(0));
            out.importPage(resume.getPage(0));
            out.importPage(resume.getPage(1));
            out.save(stream.toFile());
        }
        Path single = Corpus.file("business_docs/docs/invoice/invoice2data__QualityHosting.pdf");
        Path text = Corpus.file("bbc_news/docs/sport/001.txt");
        List<Path> inputs = List.of(stream, single, text);
        ExtractionLimits split = ExtractionLimits.defaults().withSplit(true);

        List<DocumentRecord> plain = records(classifier(), inputs);
        List<DocumentRecord> engine = records(classifier().limits(split), inputs);
        List<DocumentRecord> reference = records(DocumentClassifier.builder().engine(new SequentialEngine())
                .limits(split).extractor(new TikaExtractor(split)), inputs);

        assertThat(plain).as("without split, no record has segments")
                .allMatch(r -> !(r.outcome() instanceof Outcome.Classified c) || c.segments() == null);
        assertThat(engine).extracting(DocumentRecord::outcome).as("split records, engine vs sequential reference")
                .isEqualTo(reference.stream().map(DocumentRecord::outcome).toList());
        Map<String, Outcome.Classified> byPath = engine.stream().collect(Collectors.toMap(DocumentRecord::path,
                r -> (Outcome.Classified) r.outcome()));
        Map<String, Outcome.Classified> plainByPath = plain.stream().collect(Collectors.toMap(DocumentRecord::path,
                r -> (Outcome.Classified) r.outcome()));
        assertThat(byPath.get(stream.toString()).segments()).as("segments of the batch of three documents")
                .extracting(s -> s.first() + "-" + s.last()).containsExactly("1-2", "3-3", "4-5");
        assertThat(byPath.get(single.toString()).segments()).as("a one-document file of two pages: one segment, the plain label")
                .containsExactly(new io.docclassify.Segment(1, 2, plainByPath.get(single.toString()).label(),
                        plainByPath.get(single.toString()).confidence()));
        assertThat(byPath.get(text.toString()).segments()).as("plain text is not split").isNull();
        for (Path input : inputs) {
            assertThat(byPath.get(input.toString()).label()).as("the record's own label of %s, split or not", input)
                    .isEqualTo(plainByPath.get(input.toString()).label());
        }
    }

    /** The records of a run over {@code inputs}, in input order, without timings (they differ run to run). */
    private static List<DocumentRecord> records(DocumentClassifier.Builder builder, List<Path> inputs) throws Exception {
        CollectingSink sink = new CollectingSink();
        try (DocumentClassifier classifier = builder.build()) {
            classifier.run(DocumentSources.files(inputs), sink);
        }
        Map<String, DocumentRecord> byPath = new HashMap<>();
        sink.records().forEach(r -> byPath.put(r.path(), r));
        return inputs.stream().map(p -> byPath.get(p.toString())).toList();
    }

    private static Map<String, String> labels(DocumentClassifier.Builder builder, List<Path> inputs) throws Exception {
        CollectingSink sink = new CollectingSink();
        try (DocumentClassifier classifier = builder.build()) {
            classifier.run(DocumentSources.files(inputs), sink);
        }
        Map<String, String> labels = new HashMap<>();
        sink.records().forEach(r -> labels.put(r.path(), r.outcome() instanceof Outcome.Classified c ? c.label() : r.outcome().code()));
        return labels;
    }

    protected static List<DocumentRecord> lines(Path results) throws IOException {
        try (Stream<DocumentRecord> records = RecordJson.read(results)) {
            return records.toList();
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Passes records to a sink and tells a hook about each one. */
    private record ForwardingSink(ResultSink target, Consumer<DocumentRecord> hook) implements ResultSink {
        @Override
        public void accept(DocumentRecord record) throws IOException {
            target.accept(record);
            hook.accept(record);
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }

        @Override
        public PriorResults priorResults() {
            return target.priorResults();
        }

        @Override
        public void close() {}
    }
}
