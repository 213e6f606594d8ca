package io.docclassify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.docclassify.classify.RulesClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.contract.Corpus;
import io.docclassify.contract.SequentialEngine;
import io.docclassify.extract.TikaExtractor;
import io.docclassify.poison.PoisonParser;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.tika.mime.MediaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extraction in child JVMs: poison parsers (test-only, see {@link PoisonParser}) that loop, exhaust
 * the heap or exit the JVM fail only their own documents, and children are replaced and recycled.
 */
@Timeout(300)
class IsolatedExtractorTest {

    /**
     * A no-progress budget short enough for a quick test of the looping poison, long enough for the first
     * parse in a fresh child on a loaded machine (it loads the parser's classes before any text comes out).
     */
    private static final ExtractionLimits LIMITS =
            ExtractionLimits.defaults().withTimeouts(Duration.ofSeconds(90), Duration.ofSeconds(15));
    private static final ExtractionLimits PATIENT = ExtractionLimits.defaults();
    /** A small heap, so that the allocating poison runs out quickly. */
    private static final Isolation SMALL_CHILDREN = new Isolation("128m", Isolation.DEFAULT_RECYCLE_AFTER);

    @TempDir
    Path dir;

    private Path poison(MediaType type) throws IOException {
        String name = type.getSubtype().replace("x-docclassify-", "");
        return Files.writeString(dir.resolve(name + ".bin"), PoisonParser.magic(type) + "payload\n", UTF_8);
    }

    private static DocumentClassifier classifier(Isolation isolation) {
        return DocumentClassifier.builder().engine(new SequentialEngine()).workers(1)
                .classifier(new RulesClassifier(Taxonomy.builtIn())).limits(LIMITS).isolate(isolation).build();
    }

    @Test
    void poisonParsers_failOnlyTheirOwnDocuments_withTheirReason_andTheRunGoesOn() throws Exception {
        List<Path> papers = Corpus.papers(4);
        Path loop = poison(PoisonParser.LOOP);
        Path oom = poison(PoisonParser.OOM);
        Path exit = poison(PoisonParser.EXIT);
        List<Path> inputs = List.of(papers.get(0), loop, papers.get(1), oom, papers.get(2), exit, papers.get(3));
        ListSink sink = new ListSink();
        try (DocumentClassifier classifier = classifier(SMALL_CHILDREN)) {
            RunReport report = classifier.run(DocumentSources.files(inputs), sink);
            assertThat(report.documents()).as("documents in = records out").isEqualTo(inputs.size());
        }
        HostileInputTest.assertFailed(sink.only(loop), "timeout", "made no progress for 15 s");
        HostileInputTest.assertFailed(sink.only(oom), "out_of_memory", "-Xmx128m");
        HostileInputTest.assertFailed(sink.only(exit), "crashed", "exit code " + PoisonParser.EXIT_STATUS);
        for (Path paper : papers) {
            DocumentRecord record = sink.only(paper);
            assertThat(record.outcome()).as("a paper next to the poisons: %s", record)
                    .isInstanceOf(Outcome.Classified.class);
            assertThat(record.pages()).as("pages of %s", paper).isPositive();
        }
    }

    @Test
    void childrenAreRecycledAfterTheirQuota_andReplacedAfterADeath() throws Exception {
        List<Path> papers = Corpus.papers(5);
        try (IsolatedExtractor pool = new IsolatedExtractor(new Isolation("256m", 2), PATIENT)) {
            for (Path paper : papers) {
                pool.extract(paper, ExtractionProgress.NONE);
            }
            assertThat(pool.started()).as("children for 5 documents at 2 per child").isEqualTo(3);
            ExtractionException death = assertThrows(ExtractionException.class, () -> pool.extract(
                    poison(PoisonParser.EXIT), ExtractionProgress.NONE));
            assertThat(death.reason()).isEqualTo("crashed");
            assertThat(pool.extract(papers.get(0), ExtractionProgress.NONE).text())
                    .as("the document after a death, in a fresh child").isNotBlank();
            // The third child (one document so far) died on the poison; a fourth took the next document.
            assertThat(pool.started()).as("a fresh child replaced the dead one").isEqualTo(4);
        }
    }

    @Test
    void isolatedExtraction_givesTheSameTextAsInProcess() throws Exception {
        List<Path> files = new ArrayList<>(Corpus.papers(3));
        files.add(Corpus.file("tika_test_documents/files/tika-parser-microsoft-module/testWORD.docx"));
        TikaExtractor inProcess = new TikaExtractor(PATIENT);
        try (IsolatedExtractor pool = new IsolatedExtractor(Isolation.defaults(), PATIENT)) {
            for (Path file : files) {
                ExtractedText expected = inProcess.extract(file, ExtractionProgress.NONE);
                assertThat(pool.extract(file, ExtractionProgress.NONE))
                        .as("extraction of %s", file).isEqualTo(expected);
            }
        }
    }

    @Test
    void aKilledChild_leavesNoTemporaryFolderBehind() throws Exception {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (IsolatedExtractor pool = new IsolatedExtractor(SMALL_CHILDREN, LIMITS)) {
            pool.extract(Corpus.papers(1).get(0), ExtractionProgress.NONE);
            List<Path> during = childFolders(temp);
            assertThat(during).as("a live child's temporary folder").isNotEmpty();
            assertThrows(ExtractionException.class, () -> pool.extract(poison(PoisonParser.LOOP), ExtractionProgress.NONE));
            assertThat(during).as("temporary folders of the killed child").noneMatch(Files::exists);
        }
    }

    private static List<Path> childFolders(Path temp) throws IOException {
        try (var folders = Files.list(temp)) {
            return folders.filter(p -> p.getFileName().toString().startsWith("docclassify-child-")).toList();
        }
    }

    @Test
    void fileNamesWithControlCharacters_areRecordedAsTheyAre() throws Exception {
        Path odd = Files.writeString(dir.resolve("invoice\t\u0001\nname\u202e.txt"),
                "Invoice number 42. Amount due: 100 EUR. Bill to: ACME.", UTF_8);
        ListSink sink = new ListSink();
        try (DocumentClassifier classifier = classifier(Isolation.defaults())) {
            classifier.run(DocumentSources.directory(dir, false), sink);
        }
        DocumentRecord record = sink.only(odd);
        assertThat(record.path()).isEqualTo(odd.toString()).contains("\u0001");
        assertThat(record.outcome()).isInstanceOf(Outcome.Classified.class);
    }

    @Test
    void credentialsInTheEnvironment_areNotPassedToChildren() {
        assertThat(List.of("PGPASSWORD", "OPENAI_API_KEY", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "db_password"))
                .allMatch(IsolatedExtractor::looksSecret);
        assertThat(List.of("PATH", "HOME", "LANG", "JAVA_HOME", "TMPDIR", "KEYBOARD"))
                .noneMatch(IsolatedExtractor::looksSecret);
    }

    @Test
    void isolation_withACustomExtractor_isRejectedWithHint() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> DocumentClassifier.builder()
                .engine(new SequentialEngine()).extractor(new FakeExtractor((file, progress) -> ExtractedText.ofText("x")))
                .classifier(new RulesClassifier(Taxonomy.builtIn())).isolate(Isolation.defaults()).build());
        assertThat(e.getMessage()).contains("drop isolate(...) or extractor(...)");
    }

    @Test
    void childHeap_thatIsNoHeapSize_isRejectedWithExample() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> new Isolation("lots", 10));
        assertThat(e.getMessage()).isEqualTo("Isolation.childHeap must be a JVM heap size such as 512m or 2g, got 'lots'");
        assertThat(assertThrows(ConfigurationException.class, () -> new Isolation("1g", 0)).getMessage())
                .isEqualTo("Isolation.recycleAfter must be >= 1 document, got 0");
    }
}
