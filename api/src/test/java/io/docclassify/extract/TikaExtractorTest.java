package io.docclassify.extract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.docclassify.ConfigurationException;
import io.docclassify.ExtractionLimits;
import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TikaExtractorTest {

    private static final Path CORPUS = Path.of(System.getProperty("docclassify.corpus", "../../shared/corpus"));
    private static final Path PAPERS = CORPUS.resolve("throughput_pdfs_papers_we_love");
    private static final Path TIKA_FILES = CORPUS.resolve("tika_test_documents/files");
    /** 33 pages, far more text than the default budget. */
    private static final String LONG_PAPER = "docs/api_design/api-design.pdf";

    private static final TikaExtractor DEFAULTS = new TikaExtractor(ExtractionLimits.defaults());
    private static Map<String, Integer> pagesByPath;

    @TempDir
    Path dir;

    @BeforeAll
    static void readPaperLabels() throws IOException {
        assertThat(PAPERS.resolve("labels.csv"))
                .as("the shared corpus (set -Ddocclassify.corpus=/path/to/shared/corpus)").isRegularFile();
        pagesByPath = new HashMap<>();
        try (Stream<String> lines = Files.lines(PAPERS.resolve("labels.csv"), UTF_8)) {
            List<String> rows = lines.toList();
            List<String> header = List.of(rows.get(0).split(","));
            int path = header.indexOf("path");
            int pages = header.indexOf("pages");
            for (String row : rows.subList(1, rows.size())) {
                String[] cells = row.split(",");
                pagesByPath.put(cells[path], Integer.valueOf(cells[pages]));
            }
        }
    }

    private static ExtractionException extractFails(TikaExtractor extractor, Path file) {
        ExtractionException e = assertThrows(ExtractionException.class,
                () -> extractor.extract(file, ExtractionProgress.NONE), () -> "extracting " + file);
        assertThat(e.reason()).as("reason of %s", file).matches("[a-z][a-z0-9_]*");
        assertThat(e.getMessage()).as("message of %s", file).isNotBlank();
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = {LONG_PAPER, "docs/affective_computing/affective-computing.pdf",
            "docs/affective_computing/Theories-Methods-and-Current-Research-on-Emotions.pdf"})
    void pdf_pageCount_matchesTheCorpusLabels(String relative) throws ExtractionException {
        ExtractedText text = DEFAULTS.extract(PAPERS.resolve(relative), ExtractionProgress.NONE);

        assertThat(text.pages()).as("pages of %s, though the parse stopped at the text budget", relative)
                .isNotNull().isEqualTo(pagesByPath.get(relative));
        assertThat(text.mediaType()).isEqualTo("application/pdf");
        assertThat(text.text()).isNotBlank();
    }

    @Test
    void longPaper_defaultBudget_keepsAtMostTheBudgetAndSaysItIsIncomplete() throws ExtractionException {
        ExtractedText text = DEFAULTS.extract(PAPERS.resolve(LONG_PAPER), ExtractionProgress.NONE);

        assertThat(text.text().length()).as("characters kept").isLessThanOrEqualTo(ExtractionLimits.DEFAULT_TEXT_BUDGET)
                .isGreaterThan(ExtractionLimits.DEFAULT_TEXT_BUDGET / 2);
        assertThat(text.complete()).as("a 33-page paper cannot fit in 10,000 characters").isFalse();
        assertThat(text.totalChars()).isGreaterThanOrEqualTo(text.text().length());
    }

    @Test
    void longPaper_fullText_readsPastTheBudget() throws ExtractionException {
        ExtractedText budgeted = DEFAULTS.extract(PAPERS.resolve(LONG_PAPER), ExtractionProgress.NONE);
        ExtractedText full = new TikaExtractor(ExtractionLimits.defaults().withFullText(true))
                .extract(PAPERS.resolve(LONG_PAPER), ExtractionProgress.NONE);

        assertThat(full.totalChars()).as("full text counts the whole paper")
                .isGreaterThan(2 * budgeted.totalChars());
        assertThat(full.text().length()).as("still capped at maxChars")
                .isLessThanOrEqualTo(ExtractionLimits.DEFAULT_MAX_CHARS);
        assertThat(full.text()).startsWith(budgeted.text().substring(0, 1_000));
        assertThat(full.pages()).isEqualTo(budgeted.pages());
    }

    @Test
    void smallTextFile_isReadWhole() throws IOException, ExtractionException {
        Path file = dir.resolve("note.txt");
        Files.writeString(file, "Dear Sir,\nplease find the invoice enclosed.\n", UTF_8);

        ExtractedText text = DEFAULTS.extract(file, ExtractionProgress.NONE);

        assertThat(text.text()).contains("please find the invoice enclosed");
        assertThat(text.complete()).isTrue();
        assertThat(text.mediaType()).as("media type without parameters").isEqualTo("text/plain");
        assertThat(text.pages()).as("plain text has no pages; none may be invented").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tika-server-standard/testPassword4Spaces.pdf",
            "tika-server-standard/testUnicodePassword.pdf",
            "tika-parser-microsoft-module/testWORD_protected_passtika.docx",
            "tika-parser-miscoffice-module/testODTEncrypted.odt"})
    void passwordProtectedDocument_failsAsEncrypted(String relative) {
        Path file = TIKA_FILES.resolve(relative);
        assertThat(file).isRegularFile();

        ExtractionException e = extractFails(DEFAULTS, file);

        assertThat(e.reason()).as("reason for %s; message: %s", relative, e.getMessage()).isEqualTo("encrypted");
        assertThat(e.getMessage()).contains("password");
    }

    @Test
    void zeroByteFile_failsAsEmpty() throws IOException {
        Path file = Files.createFile(dir.resolve("empty.pdf"));

        ExtractionException e = extractFails(DEFAULTS, file);

        assertThat(e.reason()).isEqualTo("empty");
    }

    @Test
    void corruptPdf_failsAsParseError() throws IOException {
        Path file = dir.resolve("broken.pdf");
        Files.writeString(file, "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\ngarbage without xref\n", UTF_8);

        ExtractionException e = extractFails(DEFAULTS, file);

        assertThat(e.reason()).as("message: %s", e.getMessage()).isEqualTo("parse_error");
        assertThat(e.mediaType()).as("detected before the parse failed").isEqualTo("application/pdf");
    }

    @Test
    void truncatedZipDocument_failsWithACode() throws IOException {
        Path file = dir.resolve("cut.docx");
        byte[] zipStart = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        Files.write(file, zipStart);

        ExtractionException e = extractFails(DEFAULTS, file);

        assertThat(e.reason()).as("message: %s", e.getMessage()).isIn("parse_error", "unsupported_format");
    }

    @Test
    void progress_isReportedAndCancellationStopsTheParse() throws ExtractionException {
        AtomicInteger advanced = new AtomicInteger();
        ExtractionProgress counting = new ExtractionProgress() {
            @Override
            public void advanced() {
                advanced.incrementAndGet();
            }

            @Override
            public boolean cancelled() {
                return false;
            }
        };
        DEFAULTS.extract(PAPERS.resolve(LONG_PAPER), counting);
        assertThat(advanced.get()).as("the parse must report progress as text comes out").isPositive();

        ExtractionProgress cancelled = new ExtractionProgress() {
            @Override
            public void advanced() {}

            @Override
            public boolean cancelled() {
                return true;
            }
        };
        ExtractionException e = assertThrows(ExtractionException.class,
                () -> DEFAULTS.extract(PAPERS.resolve(LONG_PAPER), cancelled));
        assertThat(e.reason()).as("a parse its caller gave up on").isEqualTo("timeout");
    }
}
