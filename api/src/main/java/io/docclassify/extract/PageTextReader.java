package io.docclassify.extract;

import io.docclassify.ExtractionLimits;
import io.docclassify.FailureReason;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * Reads a bounded piece of every page of a PDF: the first {@value #PAGE_HEAD} and the last {@value #PAGE_TAIL}
 * characters of its text layer, or of its OCR when the page has no usable text layer and OCR is on. This is
 * the evidence for splitting a file into the documents it holds: the cost grows with the pages, but each
 * page's share is bounded.
 *
 * <p>Thread-safe. The page count is the PDF's own, so it equals the extractor's.
 */
public final class PageTextReader {

    /** Characters kept from the start of a page: a title, a letterhead, the first lines of a text. */
    public static final int PAGE_HEAD = 1_000;
    /** Characters kept from the end of a page: where page numbers ("Page 3 of 7") usually are. */
    public static final int PAGE_TAIL = 200;

    private final ExtractionLimits limits;
    private final Tesseract tesseract;

    private PageTextReader(ExtractionLimits limits, Tesseract tesseract) {
        this.limits = limits;
        this.tesseract = tesseract;
    }

    /**
     * A reader for {@code limits}: with {@link ExtractionLimits#ocr()}, pages without a text layer are OCRed.
     *
     * @throws io.docclassify.ConfigurationException when OCR is on but Tesseract or a language is missing
     */
    public static PageTextReader of(ExtractionLimits limits) {
        return new PageTextReader(limits, limits.ocr() ? Tesseract.find(limits.ocrLanguages()) : null);
    }

    /**
     * What one page says and how it is set: the page's bounded text, the fonts its text is set in (PDF base
     * names, subset tags included: the same subset means the same source document), its size in points, and
     * where its text sits ({@code null} when the page has none).
     */
    public record Page(String text, Set<String> fonts, float width, float height, PageLayout layout) {
        public Page {
            Objects.requireNonNull(text, "text");
            fonts = Set.copyOf(fonts);
        }
    }

    /** What a file's pages say, and how many of them were OCRed. */
    public record Pages(List<Page> pages, int ocrPages) {
        public Pages {
            pages = List.copyOf(pages);
        }

        /** The pages' texts, in order. */
        public List<String> texts() {
            return pages.stream().map(Page::text).toList();
        }
    }

    /**
     * The bounded text of each page of the PDF {@code file}, in page order.
     *
     * @throws ExtractionException when the file cannot be opened as a PDF, OCR fails, or
     *     {@link ExtractionLimits#totalTimeout()} passes
     */
    public Pages read(Path file) throws ExtractionException {
        long deadline = System.nanoTime() + limits.totalTimeout().toNanos();
        Path work = null;
        try (PDDocument document = Loader.loadPDF(file.toFile())) {
            GlyphStripper stripper = new GlyphStripper();
            PDFRenderer renderer = new PDFRenderer(document);
            List<Page> texts = new ArrayList<>(document.getNumberOfPages());
            int ocrPages = 0;
            for (int i = 0; i < document.getNumberOfPages(); i++) {
                if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                    throw new ExtractionException(FailureReason.TIMEOUT, "application/pdf", "reading page " + (i + 1)
                            + " for splitting took past ExtractionLimits.totalTimeout (" + limits.totalTimeout() + ")", null);
                }
                stripper.setStartPage(i + 1);
                stripper.setEndPage(i + 1);
                String layer = stripper.getText(document);
                PDRectangle box = document.getPage(i).getMediaBox();
                PageLayout layout = PageLayout.ofGlyphs(stripper.glyphs, box.getWidth(), box.getHeight());
                stripper.glyphs.clear();
                if (tesseract != null && !TextQuality.of(layer).usablePage()
                        && OcrExtractor.hasPageSizedImages(document.getPage(i))) {
                    if (work == null) {
                        work = Files.createTempDirectory("docclassify-split-");
                    }
                    BufferedImage image = renderer.renderImageWithDPI(i, OcrExtractor.RENDER_DPI, ImageType.GRAY);
                    Path pgm = OcrExtractor.writePgm(image, work.resolve("page.pgm"));
                    layer = tesseract.recognise(pgm, deadline, ExtractionProgress.NONE, work);
                    layout = PageLayout.ofImage(image, OcrExtractor.RENDER_DPI);
                    ocrPages++;
                }
                texts.add(new Page(bounded(layer), fonts(document.getPage(i)), box.getWidth(), box.getHeight(), layout));
            }
            return new Pages(texts, ocrPages);
        } catch (IOException | RuntimeException e) {
            throw new ExtractionException(FailureReason.PARSE_ERROR, "application/pdf",
                    "could not read the pages for splitting: " + e, e);
        } finally {
            if (work != null) {
                OcrExtractor.deleteTree(work);
            }
        }
    }

    /** A text stripper that also keeps the glyphs it wrote, for the page's layout. */
    private static final class GlyphStripper extends PDFTextStripper {
        final List<TextPosition> glyphs = new ArrayList<>();

        @Override
        protected void writeString(String text, List<TextPosition> textPositions) throws IOException {
            glyphs.addAll(textPositions);
            super.writeString(text, textPositions);
        }
    }

    private static Set<String> fonts(PDPage page) {
        Set<String> fonts = new TreeSet<>();
        addFonts(page.getResources(), fonts, 1);
        return fonts;
    }

    /** The fonts of {@code resources} and of its forms, {@code formDepth} levels deep. */
    private static void addFonts(PDResources resources, Set<String> fonts, int formDepth) {
        if (resources == null) {
            return;
        }
        if (formDepth > 0) {
            for (COSName name : resources.getXObjectNames()) {
                try {
                    if (resources.getXObject(name) instanceof PDFormXObject form) {
                        addFonts(form.getResources(), fonts, formDepth - 1);
                    }
                } catch (IOException e) {
                    // As for fonts below.
                }
            }
        }
        for (COSName name : resources.getFontNames()) {
            try {
                PDFont font = resources.getFont(name);
                if (font != null && font.getName() != null) {
                    fonts.add(font.getName());
                }
            } catch (IOException e) {
                // A font that cannot be read is no evidence either way.
            }
        }
    }

    /** A page's head and tail, the middle left out. */
    static String bounded(String page) {
        String text = page.strip();
        if (text.length() <= PAGE_HEAD + PAGE_TAIL) {
            return text;
        }
        return text.substring(0, PAGE_HEAD) + "\n" + text.substring(text.length() - PAGE_TAIL);
    }
}
