package io.docclassify.extract;

import io.docclassify.ExtractionLimits;
import io.docclassify.FailureReason;
import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import io.docclassify.spi.Extractor;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/*
 * Design note: why PDFBox rendering plus our own `tesseract` calls, and not Tika's TesseractOCRParser.
 *
 * Tika's PDF parser with OCR_STRATEGY.AUTO decides per page too, but on its own terms: it renders and
 * OCRs every page whose text is short (at 300 DPI, in colour unless told otherwise), runs the whole
 * document before our text budget can stop it, and starts `tesseract` with whatever OpenMP threads the
 * environment allows; measured on six 1-3 page scans that was 25-31 s per document on 2 cores. Here:
 *
 * - Triage comes from the parse we run anyway. TextCollector notes where each page's text starts, so
 *   a born-digital PDF whose pages all have a text layer never opens PDFBox a second time and never
 *   starts `tesseract`: its cost with OCR on is the cost without (issue 17, "Done when" 3).
 * - Pages are done in order and OCR stops at the text budget, so a 40-page scan costs one or two pages;
 *   a mixed PDF OCRs only its pages without text (and with an image that could hold some).
 * - Rendering is greyscale at RENDER_DPI (measured: docs/ocr.md), written as raw PGM (no PNG encoding),
 *   and `tesseract` runs with OMP_THREAD_LIMIT=1, one process at a time on the worker's own thread.
 * - Our budgets reach the process: it is polled every 20 ms and killed (with anything it started) when
 *   the document's time budget runs out or the caller gives up; a crash or garbage output is the
 *   document's `ocr_failed`, never the run's. Tika's parser would report these as a parse warning or a
 *   generic TikaException, and we would have to read the reason back out of a message.
 *
 * The cost is ~300 lines and a dependency on PDFBox's API, which Tika's PDF parser already brings.
 */

/**
 * OCR around Tika: the pages of a PDF that have no usable text layer, and images (PNG, JPEG, TIFF
 * including multi-page, BMP, GIF, WebP), are rendered and read by Tesseract until the text budget is
 * reached. A document whose text layer fills the budget, or whose every page has text, is never OCRed.
 *
 * <p>Thread-safe. The caller enforces the time budgets (see {@link Extractor}); this layer also stops
 * Tesseract by itself once {@link ExtractionLimits#totalTimeout()} has passed since the document started.
 */
final class OcrExtractor implements Extractor {

    /** Greyscale rendering resolution: the measured point where accuracy stops rising (docs/ocr.md). */
    static final int RENDER_DPI = Integer.getInteger("docclassify.ocr.dpi", 200);
    /** A page's images, together, must cover a quarter of the page at 100 DPI to be worth OCR. */
    private static final double MIN_IMAGE_PIXELS_PER_SQUARE_INCH = 0.25 * 100 * 100;
    private static final Set<String> TESSERACT_IMAGES = Set.of("image/png", "image/jpeg", "image/bmp", "image/gif",
            "image/webp");
    private static final String TIFF = "image/tiff";

    private final TikaExtractor tika;
    private final ExtractionLimits limits;
    private final Tesseract tesseract;

    OcrExtractor(TikaExtractor tika, ExtractionLimits limits, Tesseract tesseract) {
        this.tika = tika;
        this.limits = limits;
        this.tesseract = tesseract;
    }

    @Override
    public String id() {
        return "tika+ocr";
    }

    @Override
    public ExtractedText extract(Path file, ExtractionProgress progress) throws ExtractionException {
        long deadline = System.nanoTime() + limits.totalTimeout().toNanos();
        TikaExtractor.Parsed parsed = tika.parse(file, progress);
        ExtractedText text = parsed.text();
        String type = text.mediaType();
        if (!text.complete()) {
            return text;
        }
        if (type.equals("application/pdf") && needsOcr(parsed)) {
            return withWorkFolder(text, work -> pdf(file, parsed, deadline, progress, work));
        }
        boolean image = TESSERACT_IMAGES.contains(type) || type.equals(TIFF);
        if (image && !TextQuality.of(text.text()).usablePage()) {
            return withWorkFolder(text, work -> image(file, text, deadline, progress, work));
        }
        return text;
    }

    /** Whether some page lacks a usable text layer (cheap: from the parse's own page texts). */
    private static boolean needsOcr(TikaExtractor.Parsed parsed) {
        Integer pages = parsed.text().pages();
        if (pages != null && pages > parsed.pageTexts().size()) {
            return true;
        }
        return parsed.pageTexts().stream().anyMatch(page -> !TextQuality.of(page).usablePage());
    }

    /** OCR work on one document, in a temporary folder of its own. */
    private interface Work {
        ExtractedText run(Path folder) throws ExtractionException, IOException;
    }

    private static ExtractedText withWorkFolder(ExtractedText parsed, Work work) throws ExtractionException {
        Path folder = null;
        try {
            folder = Files.createTempDirectory("docclassify-ocr-");
            return work.run(folder);
        } catch (ExtractionException e) {
            throw new ExtractionException(e.reason(), parsed.mediaType(), e.getMessage(), e.getCause());
        } catch (IOException | RuntimeException e) {
            throw new ExtractionException(FailureReason.OCR_FAILED, parsed.mediaType(),
                    "could not render a page for OCR: " + e, e);
        } finally {
            if (folder != null) {
                deleteTree(folder);
            }
        }
    }

    /** Keeps the usable pages' text and OCRs the others, in page order, until the budget is reached. */
    private ExtractedText pdf(Path file, TikaExtractor.Parsed parsed, long deadline, ExtractionProgress progress,
            Path work) throws ExtractionException, IOException {
        Result result = new Result(limits);
        List<String> pageTexts = parsed.pageTexts();
        try (PDDocument document = Loader.loadPDF(file.toFile())) {
            PDFRenderer renderer = new PDFRenderer(document);
            for (int i = 0; i < document.getNumberOfPages() && !result.full(); i++) {
                String layer = i < pageTexts.size() ? pageTexts.get(i) : "";
                PDPage page = document.getPage(i);
                if (TextQuality.of(layer).usablePage() || !hasPageSizedImages(page)) {
                    result.text.append(layer);
                    continue;
                }
                long start = System.nanoTime();
                BufferedImage image = renderer.renderImageWithDPI(i, RENDER_DPI, ImageType.GRAY);
                Path pgm = writePgm(image, work.resolve("page.pgm"));
                result.ocr(recognise(pgm, i + 1, deadline, progress, work), start);
                progress.advanced();
            }
        }
        return result.text(parsed.text());
    }

    /** OCRs an image file; a TIFF page by page, until the budget is reached. */
    private ExtractedText image(Path file, ExtractedText parsed, long deadline, ExtractionProgress progress, Path work)
            throws ExtractionException, IOException {
        Result result = new Result(limits);
        if (!parsed.mediaType().equals(TIFF)) {
            long start = System.nanoTime();
            result.ocr(recognise(file, 1, deadline, progress, work), start);
            return result.text(parsed);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("no TIFF reader accepts the file");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, false, true);
                int pages = reader.getNumImages(true);
                for (int i = 0; i < pages && !result.full(); i++) {
                    long start = System.nanoTime();
                    Path pgm = writePgm(grey(reader.read(i)), work.resolve("page.pgm"));
                    result.ocr(recognise(pgm, i + 1, deadline, progress, work), start);
                    progress.advanced();
                }
            } finally {
                reader.dispose();
            }
        }
        return result.text(parsed);
    }

    private String recognise(Path image, int page, long deadline, ExtractionProgress progress, Path work)
            throws ExtractionException {
        try {
            return tesseract.recognise(image, deadline, progress, work);
        } catch (ExtractionException e) {
            throw new ExtractionException(e.reason(), null, "OCR of page " + page + ": " + e.getMessage(), e.getCause());
        }
    }

    /** The text put together page by page, and what OCR cost. */
    private static final class Result {
        final StringBuilder text = new StringBuilder();
        final int kept;
        final boolean stopAtBudget;
        int ocrPages;
        long ocrNanos;

        Result(ExtractionLimits limits) {
            this.kept = limits.charsKept();
            this.stopAtBudget = !limits.fullText();
        }

        void ocr(String pageText, long startNanos) {
            text.append(pageText).append('\n');
            ocrPages++;
            ocrNanos += System.nanoTime() - startNanos;
        }

        boolean full() {
            return stopAtBudget && text.length() >= kept;
        }

        ExtractedText text(ExtractedText parsed) {
            String kept = text.length() > this.kept ? text.substring(0, this.kept) : text.toString();
            return new ExtractedText(kept, parsed.title(), parsed.mediaType(), parsed.pages(), text.length(), !full(),
                    parsed.warnings(), ocrPages, ocrNanos / 1_000_000);
        }
    }

    /**
     * Whether the page's images (one level of forms deep) hold enough pixels to be a scan or a photo of text:
     * a page with neither text nor such images is blank, and OCR would find nothing.
     */
    static boolean hasPageSizedImages(PDPage page) throws IOException {
        PDRectangle box = page.getCropBox();
        double squareInches = Math.max(1, box.getWidth() / 72.0 * box.getHeight() / 72.0);
        return imagePixels(page.getResources(), 1) >= squareInches * MIN_IMAGE_PIXELS_PER_SQUARE_INCH;
    }

    private static double imagePixels(PDResources resources, int formDepth) throws IOException {
        if (resources == null) {
            return 0;
        }
        double pixels = 0;
        for (COSName name : resources.getXObjectNames()) {
            PDXObject object = resources.getXObject(name);
            if (object instanceof PDImageXObject image) {
                pixels += (double) image.getWidth() * image.getHeight();
            } else if (object instanceof PDFormXObject form && formDepth > 0) {
                pixels += imagePixels(form.getResources(), formDepth - 1);
            }
        }
        return pixels;
    }

    private static BufferedImage grey(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            return image;
        }
        BufferedImage grey = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D graphics = grey.createGraphics();
        try {
            graphics.drawImage(image, 0, 0, java.awt.Color.WHITE, null);
        } finally {
            graphics.dispose();
        }
        return grey;
    }

    /** Writes a greyscale image as binary PGM, which Tesseract reads without decoding a compressed format. */
    static Path writePgm(BufferedImage image, Path target) throws IOException {
        BufferedImage grey = grey(image);
        int width = grey.getWidth();
        int height = grey.getHeight();
        byte[] row = new byte[width];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16)) {
            out.write(("P5\n" + width + " " + height + "\n255\n").getBytes(StandardCharsets.US_ASCII));
            for (int y = 0; y < height; y++) {
                grey.getRaster().getDataElements(0, y, width, 1, row);
                out.write(row);
            }
        }
        return target;
    }

    static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A leftover temporary folder is harmless; the document's result is not.
        }
    }
}
