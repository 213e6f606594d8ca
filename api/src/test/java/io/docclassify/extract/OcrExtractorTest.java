package io.docclassify.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.docclassify.ConfigurationException;
import io.docclassify.DocumentClassifier;
import io.docclassify.DocumentRecord;
import io.docclassify.ExtractionLimits;
import io.docclassify.Outcome;
import io.docclassify.classify.RulesClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.contract.SequentialEngine;
import io.docclassify.contract.Corpus;
import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionProgress;
import io.docclassify.spi.Extractor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** OCR page by page with the real Tesseract, seen through a stand-in that logs each call. */
@Timeout(600)
class OcrExtractorTest {

    /** OCR on, with budgets a page cannot overrun on a loaded machine (here, where a page takes 2-20 s). */
    private static final ExtractionLimits OCR = ExtractionLimits.defaults().withOcr(true)
            .withTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(5));
    private static final Path RESUME = Corpus.file("business_docs/docs/resume/ACCOUNTANT/10554236.pdf");
    private static final Path INVOICE = Corpus.file("business_docs/docs/invoice/invoice2data__AmazonWebServices.pdf");

    @TempDir
    Path dir;
    private Path log;

    @BeforeEach
    void logTesseractCalls() throws IOException {
        assumeTrue(Scans.realTesseract() != null, "OCR tests need tesseract (Debian: tesseract-ocr), as .ci/run installs");
        log = dir.resolve("tesseract.log");
        Files.createDirectories(dir.resolve("bin"));
        System.setProperty(Tesseract.EXECUTABLE_PROPERTY, Scans.loggingTesseract(dir.resolve("bin"), log).toString());
    }

    @AfterEach
    void forgetStandIn() {
        System.clearProperty(Tesseract.EXECUTABLE_PROPERTY);
    }

    private List<String> tesseractCalls() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static ExtractedText extract(ExtractionLimits limits, Path file) throws Exception {
        return TikaExtractor.builtIn(limits).extract(file, ExtractionProgress.NONE);
    }

    @Test
    void bornDigitalPdfs_neverStartTesseract() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Corpus.root().resolve("business_docs/docs"))) {
            files = walk.filter(p -> p.toString().endsWith(".pdf")).sorted().limit(60).toList();
        }
        Extractor extractor = TikaExtractor.builtIn(OCR);
        for (Path file : Stream.concat(files.stream(), Corpus.papers(5).stream()).toList()) {
            ExtractedText text = extractor.extract(file, ExtractionProgress.NONE);
            assertThat(text.ocrPages()).as("pages OCRed in %s", file).isZero();
        }
        assertThat(tesseractCalls()).as("Tesseract runs on %d born-digital PDFs", files.size() + 5).isEmpty();
    }

    @Test
    void scannedPdf_isOcredPageByPage_untilTheBudget() throws Exception {
        Path scan = Scans.scanOf(RESUME, 2, dir.resolve("scan.pdf"));

        ExtractedText budgeted = extract(OCR.withTextBudget(300), scan);
        assertThat(budgeted.ocrPages()).as("pages OCRed to fill a budget of 300 characters").isEqualTo(1);
        assertThat(budgeted.text()).hasSize(300).containsIgnoringCase("accountant");
        assertThat(budgeted.complete()).as("complete, with a page left unread").isFalse();
        assertThat(budgeted.pages()).isEqualTo(2);

        ExtractedText full = extract(OCR.withFullText(true), scan);
        assertThat(full.ocrPages()).as("pages OCRed for the full text").isEqualTo(2);
        assertThat(full.ocrMillis()).isPositive();
        assertThat(tesseractCalls()).hasSize(3).allMatch(call -> call.contains(" stdout -l eng"));
    }

    @Test
    void scannedPdf_withSplit_countsEachPageItOcredOnce() throws Exception {
        Path scan = Scans.scanOf(RESUME, 2, dir.resolve("scan.pdf"));
        ExtractionLimits limits = OCR.withTextBudget(300).withSplit(true);
        DocumentRecord record;
        try (DocumentClassifier classifier = DocumentClassifier.builder().engine(new SequentialEngine())
                .classifier(new RulesClassifier(Taxonomy.builtIn())).limits(limits)
                .build()) {
            record = classifier.classify(scan);
        }
        assertThat(record.outcome()).isInstanceOf(Outcome.Classified.class);
        assertThat(((Outcome.Classified) record.outcome()).segments()).as("segments of the split").isNotEmpty();
        assertThat(record.ocrPages()).as("pages read by OCR: both, for the split").isEqualTo(2);
        assertThat(tesseractCalls()).as("page 1 for the budget, then both pages for the split").hasSize(3);
    }

    @Test
    void mixedPdf_ocrsOnlyItsScannedPage_andOnlyWhenTheBudgetNeedsIt() throws Exception {
        Path paper = Corpus.papers(1).get(0);
        Path mixed = Scans.mixed(paper, INVOICE, dir.resolve("mixed.pdf"));
        int bornDigitalChars = new TikaExtractor(OCR.withFullText(true)).extract(paper, ExtractionProgress.NONE)
                .text().length();
        assumeTrue(bornDigitalChars > 1000, "page 1 of " + paper + " has text");

        ExtractedText withinPageOne = extract(OCR.withTextBudget(1000), mixed);
        assertThat(withinPageOne.ocrPages()).as("pages OCRed when page 1's text fills the budget").isZero();
        assertThat(tesseractCalls()).isEmpty();

        ExtractedText both = extract(OCR.withTextBudget(50_000).withMaxChars(50_000), mixed);
        assertThat(both.ocrPages()).as("pages OCRed when the budget needs page 2, the scan").isEqualTo(1);
        assertThat(both.text()).as("the scanned invoice's text after the paper's").containsIgnoringCase("amazon");
        assertThat(tesseractCalls()).hasSize(1);
    }

    @Test
    void images_areOcred_aTiffPageByPage() throws Exception {
        ExtractedText png = extract(OCR, Corpus.file("business_docs/docs/invoice/invoice2data__AmazonWebServices.png"));
        assertThat(png.mediaType()).isEqualTo("image/png");
        assertThat(png.ocrPages()).isEqualTo(1);
        assertThat(png.text()).containsIgnoringCase("amazon");

        Path tiff = Scans.tiff(List.of(INVOICE, RESUME), dir.resolve("two-pages.tiff"));
        ExtractedText both = extract(OCR.withFullText(true), tiff);
        assertThat(both.mediaType()).isEqualTo("image/tiff");
        assertThat(both.ocrPages()).as("pages of a two-page TIFF").isEqualTo(2);
        assertThat(both.text()).containsIgnoringCase("amazon").containsIgnoringCase("accountant");
        ExtractedText first = extract(OCR.withTextBudget(200), tiff);
        assertThat(first.ocrPages()).as("pages OCRed to fill a budget of 200 characters").isEqualTo(1);
    }

    @Test
    void aMissingLanguagePack_isAConfigurationError_namingTheDebianPackage() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> TikaExtractor.builtIn(OCR.withOcrLanguages("eng+deu")));

        assertThat(e.getMessage()).contains("tesseract-ocr-deu").contains("ExtractionLimits.ocrLanguages")
                .doesNotContain("tesseract-ocr-eng");
    }

    @Test
    void noTesseract_isAConfigurationError_namingTheSetting() {
        System.setProperty(Tesseract.EXECUTABLE_PROPERTY, dir.resolve("missing/tesseract").toString());

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> TikaExtractor.builtIn(OCR));

        assertThat(e.getMessage()).contains("missing/tesseract").contains(Tesseract.EXECUTABLE_PROPERTY);
    }
}
