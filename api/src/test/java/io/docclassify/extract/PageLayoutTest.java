package io.docclassify.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.docclassify.ExtractionLimits;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A page's layout from its text layer and from a scan's pixels. */
class PageLayoutTest {

    @TempDir
    Path temp;

    @Test
    void textLayer_givesTheTextsEdgesAndCommonTypeSize() throws Exception {
        Path pdf = page(10, 72, temp.resolve("page.pdf"));
        PageLayout layout = PageTextReader.of(ExtractionLimits.defaults()).read(pdf).pages().getFirst().layout();
        assertThat(layout.lineHeight()).isEqualTo(10f);
        assertThat(layout.left()).isCloseTo(72f / 612, within(0.005f));
        assertThat(layout.right()).isBetween(0.5f, 0.95f);
        assertThat(layout.top()).as("the title's cap height above its baseline, 52 points down")
                .isBetween(40f / 792, 52f / 792);
        assertThat(layout.bottom()).as("the last line's baseline").isCloseTo((792f - 265) / 792, within(0.002f));
    }

    @Test
    void scan_givesTheInksEdgesAndLineHeight_largerTypeLargerLines() throws Exception {
        PageLayout small = PageLayout.ofImage(scan(page(10, 72, temp.resolve("small.pdf"))), 200);
        PageLayout large = PageLayout.ofImage(scan(page(14, 108, temp.resolve("large.pdf"))), 200);
        assertThat(small.left()).isCloseTo(72f / 612, within(0.01f));
        assertThat(large.left()).isCloseTo(108f / 612, within(0.01f));
        assertThat(small.lineHeight()).isBetween(6f, 14f);
        assertThat(large.lineHeight() / small.lineHeight()).isBetween(1.2f, 1.6f);
        assertThat(small.top()).isBetween(38f / 792, 52f / 792);
        assertThat(small.bottom()).as("the last line's descenders, below its baseline")
                .isBetween((792f - 265) / 792, (792f - 260) / 792);
        assertThat(large.bottom()).isBetween((792f - 91) / 792, (792f - 85) / 792);
    }

    @Test
    void blankScan_hasNoLayout() throws Exception {
        Path pdf = temp.resolve("blank.pdf");
        try (PDDocument document = new PDDocument()) {
            document.addPage(new PDPage(PDRectangle.LETTER));
            document.save(pdf.toFile());
        }
        assertThat(PageLayout.ofImage(scan(pdf), 200)).isNull();
        assertThat(PageTextReader.of(ExtractionLimits.defaults()).read(pdf).pages().getFirst().layout()).isNull();
    }

    /** A Letter page: a 16-point title, then 30 lines set in {@code points}, {@code left} points in. */
    private static Path page(int points, int left, Path pdf) throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.LETTER);
            document.addPage(page);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.beginText();
                content.setFont(font, 16);
                content.newLineAtOffset(left + 72, 740);
                content.showText("A title");
                content.endText();
                for (int line = 0; line < 30; line++) {
                    content.beginText();
                    content.setFont(font, points);
                    content.newLineAtOffset(left, 700 - points * 1.5f * line);
                    content.showText("Body text of the page, the same size on every line, line " + line);
                    content.endText();
                }
            }
            document.save(pdf.toFile());
        }
        return pdf;
    }

    private static BufferedImage scan(Path pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
            return new PDFRenderer(document).renderImageWithDPI(0, 200, ImageType.GRAY);
        }
    }
}
