package io.docclassify.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentClassifier;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.RunReport;
import io.docclassify.classify.RulesClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.Engine;
import io.docclassify.spi.ExtractedText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Documents in = records out, for any mixture of good, empty, corrupt and duplicate files; each
 * engine's {@code *Properties} class extends this and names its engine.
 */
public abstract class EngineProperties {

    /** The kinds of file a generated corpus is made of; several draws of one kind are duplicates. */
    enum Kind {
        INVOICE("Invoice number 42. Bill to ACME. Amount due: 100 EUR. Payment terms net 30."),
        CONTRACT("This Agreement is made between the parties. Whereas the parties agree; governing law."),
        LETTER("Dear Sir, thank you for your letter. Yours sincerely, Anna"),
        OTHER_TEXT("Lorem ipsum dolor sit amet"),
        BLANK_TEXT("   \n  "),
        EMPTY(""),
        CORRUPT_PDF("%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage"),
        CORRUPT_DOCX("PK\u0003\u0004 not really a zip");

        final String content;

        Kind(String content) {
            this.content = content;
        }

        String extension() {
            return switch (this) {
                case CORRUPT_PDF -> ".pdf";
                case CORRUPT_DOCX -> ".docx";
                default -> ".txt";
            };
        }
    }

    /** A file of the generated corpus: its kind and a variant number (0 = shared content, else unique). */
    record Draw(Kind kind, int variant) {
        String content() {
            return variant == 0 || kind == Kind.EMPTY ? kind.content : kind.content + " #" + variant;
        }
    }

    protected abstract Engine engine();

    private static final Map<String, AtomicInteger> CLASSIFIER_CALLS = new ConcurrentHashMap<>();
    private static Path temp;

    @BeforeContainer
    static void createTemp() throws IOException {
        temp = Files.createTempDirectory("docclassify-properties");
    }

    @AfterContainer
    static void deleteTemp() throws IOException {
        try (Stream<Path> files = Files.walk(temp)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Provide
    Arbitrary<List<Draw>> corpora() {
        Arbitrary<Draw> draw = Combinators.combine(
                        Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 2))
                .as(Draw::new);
        return draw.list().ofMinSize(0).ofMaxSize(16);
    }

    @Property(tries = 25)
    void documentsIn_equalRecordsOut_andEachContentIsClassifiedOnce(@ForAll("corpora") List<Draw> corpus) throws Exception {
        Path dir = Files.createTempDirectory(temp, "run");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            Draw draw = corpus.get(i);
            files.add(Files.write(dir.resolve("f" + i + draw.kind().extension()),
                    draw.content().getBytes(StandardCharsets.ISO_8859_1)));
        }
        CLASSIFIER_CALLS.clear();
        Classifier counting = new CountingClassifier(new RulesClassifier(Taxonomy.builtIn()));
        CollectingSink sink = new CollectingSink();
        RunReport report;
        try (DocumentClassifier classifier = DocumentClassifier.builder().engine(engine()).workers(3).chunkSize(2)
                .classifier(counting).build()) {
            report = classifier.run(DocumentSources.files(files), sink);
        }
        List<DocumentRecord> records = sink.records();
        assertThat(records).as("records out = documents in").hasSize(corpus.size());
        assertThat(records.stream().map(DocumentRecord::path).collect(Collectors.toSet())).as("one record per path")
                .hasSize(corpus.size());
        // Equal bytes are one content, whatever the file's extension; every empty file fails on its own.
        List<String> nonEmpty = corpus.stream().map(Draw::content).filter(c -> !c.isEmpty()).toList();
        assertThat(report.duplicates()).as("duplicates = non-empty documents - distinct non-empty contents")
                .isEqualTo(nonEmpty.size() - Set.copyOf(nonEmpty).size());
        assertThat(records.stream().filter(r -> r.outcome() instanceof Outcome.Failed f && f.reason().equals("empty")))
                .as("each empty file fails as empty").hasSize(corpus.size() - nonEmpty.size());
        for (DocumentRecord record : records) {
            if (record.outcome() instanceof Outcome.Failed f) {
                assertThat(f.reason()).as("failure reason of %s", record.path()).matches("[a-z_]+");
                assertThat(f.message()).as("failure message of %s", record.path()).isNotBlank();
            }
        }
        assertThat(CLASSIFIER_CALLS.values()).as("each distinct text reaches the classifier once")
                .allSatisfy(calls -> assertThat(calls.get()).isEqualTo(1));
        List<String> classifiedContents = records.stream().filter(r -> r.outcome() instanceof Outcome.Classified)
                .map(DocumentRecord::sha256).toList();
        assertThat(classifiedContents).as("classified records have distinct contents").doesNotHaveDuplicates();
        assertThat(CLASSIFIER_CALLS.values().stream().mapToInt(AtomicInteger::get).sum())
                .as("classifier calls = classified records: every distinct classifiable content exactly once")
                .isEqualTo(classifiedContents.size());
    }

    /** Counts classifier calls per text. */
    private record CountingClassifier(Classifier delegate) implements Classifier {
        @Override
        public String id() {
            return delegate.id();
        }

        @Override
        public Outcome.Classified classify(ExtractedText text) {
            CLASSIFIER_CALLS.computeIfAbsent(text.text(), t -> new AtomicInteger()).incrementAndGet();
            return delegate.classify(text);
        }
    }
}
