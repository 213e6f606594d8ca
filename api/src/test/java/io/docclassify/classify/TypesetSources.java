package io.docclassify.classify;

import io.docclassify.ExtractionLimits;
import io.docclassify.extract.TikaExtractor;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * Text documents of the shared corpus (letters, memos, resumes, receipts, e-mails, news, papers, policies)
 * typeset into PDFs, so that the boundary fit sees document types the corpus has no PDFs of. Each document's
 * layout (font, size, margins, paper, a bold title, page numbers) is drawn from a seed made of its file name,
 * so the same corpus gives the same PDFs. The fonts are the standard 14, not embedded: these pages carry no
 * font evidence, only text, as scans and many born-digital files do.
 */
final class TypesetSources {

    /** The text sources typeset for tuning; none of them is a held-out source of {@link PageStreams#HELD_OUT}. */
    static final Set<String> SOURCES = Set.of("github/dmca", "nrntechnology/JFK-NARA-Pull-and-OCR",
            "zaid-ali753/Resume-Screening-101", "zzzDavid/ICDAR-2019-SROIE", "DWDatITP/sample-mongo-scavenger-hunt",
            "postlight/parser", "PLOS/allofplos", "github/site-policy");

    private static final int MAX_PAGES = 20;
    private static final TikaExtractor EXTRACTOR = new TikaExtractor(ExtractionLimits.defaults());
    private static final Standard14Fonts.FontName[][] FAMILIES = {
        {Standard14Fonts.FontName.HELVETICA, Standard14Fonts.FontName.HELVETICA_BOLD},
        {Standard14Fonts.FontName.TIMES_ROMAN, Standard14Fonts.FontName.TIMES_BOLD},
        {Standard14Fonts.FontName.COURIER, Standard14Fonts.FontName.COURIER_BOLD}};
    private static final String[] NUMBERING = {"%d", "Page %d", "- %d -", "Page %d of %d"};

    private TypesetSources() {}

    /** The PDF of the text document {@code file}, typeset once into {@code target/typeset/} and reused after. */
    static Path typeset(Path file) {
        Path folder = Path.of("target/typeset").toAbsolutePath();
        Path pdf = folder.resolve(file.getParent().getFileName() + "__" + file.getFileName() + ".pdf");
        if (Files.exists(pdf)) {
            return pdf;
        }
        try {
            Files.createDirectories(folder);
            Path partial = folder.resolve(pdf.getFileName() + ".partial");
            write(text(file), new Random(file.getFileName().toString().hashCode()), partial);
            Files.move(partial, pdf);
            return pdf;
        } catch (IOException e) {
            throw new UncheckedIOException("could not typeset " + file, e);
        }
    }

    private static String text(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.endsWith(".txt") || name.endsWith(".md")) {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        }
        try {
            return EXTRACTOR.extract(file, ExtractionProgress.NONE).text();
        } catch (ExtractionException e) {
            throw new IOException(e);
        }
    }

    private static void write(String text, Random random, Path pdf) throws IOException {
        Standard14Fonts.FontName[] family = FAMILIES[random.nextInt(FAMILIES.length)];
        PDType1Font body = new PDType1Font(family[0]);
        PDType1Font bold = new PDType1Font(family[1]);
        float size = 9 + random.nextInt(4);
        float leading = size * (1.15f + random.nextFloat() * 0.3f);
        float margin = 50 + random.nextInt(40);
        PDRectangle paper = random.nextBoolean() ? PDRectangle.LETTER : PDRectangle.A4;
        boolean title = random.nextBoolean();
        String numbering = random.nextDouble() < 0.4 ? NUMBERING[random.nextInt(NUMBERING.length)] : null;

        List<String> lines = new ArrayList<>();
        for (String paragraph : text.replace('\t', ' ').split("\\R")) {
            wrap(clean(paragraph.strip(), body), body, size, paper.getWidth() - 2 * margin, lines);
        }
        while (!lines.isEmpty() && lines.getFirst().isEmpty()) {
            lines.removeFirst();
        }
        int perPage = (int) ((paper.getHeight() - 2 * margin) / leading);
        List<List<String>> pages = new ArrayList<>();
        for (int at = 0; at < lines.size() && pages.size() < MAX_PAGES; at += perPage) {
            pages.add(lines.subList(at, Math.min(lines.size(), at + perPage)));
        }
        try (PDDocument document = new PDDocument()) {
            for (int p = 0; p < Math.max(1, pages.size()); p++) {
                PDPage page = new PDPage(paper);
                document.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    float y = paper.getHeight() - margin;
                    List<String> pageLines = p < pages.size() ? pages.get(p) : List.of();
                    for (int i = 0; i < pageLines.size(); i++) {
                        boolean heading = title && p == 0 && i == 0 && pageLines.get(i).length() <= 80;
                        show(content, heading ? bold : body, heading ? size + 4 : size, margin, y, pageLines.get(i));
                        y -= heading ? leading * 1.6f : leading;
                    }
                    if (numbering != null) {
                        String number = String.format(numbering, p + 1, pages.size());
                        float width = body.getStringWidth(number) / 1000 * size;
                        show(content, body, size, (paper.getWidth() - width) / 2, margin / 2, number);
                    }
                }
            }
            document.save(pdf.toFile());
        }
    }

    private static void show(PDPageContentStream content, PDType1Font font, float size, float x, float y, String line)
            throws IOException {
        if (line.isEmpty()) {
            return;
        }
        content.beginText();
        content.setFont(font, size);
        content.newLineAtOffset(x, y);
        content.showText(line);
        content.endText();
    }

    /** The paragraph with every character the font's encoding lacks replaced by a question mark. */
    private static String clean(String paragraph, PDType1Font font) {
        StringBuilder out = new StringBuilder(paragraph.length());
        for (int i = 0; i < paragraph.length(); i++) {
            char c = paragraph.charAt(i);
            out.append(encodable(font, c) ? c : '?');
        }
        return out.toString();
    }

    private static boolean encodable(PDType1Font font, char c) {
        if (c < ' ') {
            return false;
        }
        if (c < 0x7f) {
            return true;
        }
        try {
            font.encode(String.valueOf(c));
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static void wrap(String paragraph, PDType1Font font, float size, float width, List<String> lines)
            throws IOException {
        if (paragraph.isEmpty()) {
            lines.add("");
            return;
        }
        StringBuilder line = new StringBuilder();
        for (String word : paragraph.split(" +")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (!line.isEmpty() && font.getStringWidth(candidate) / 1000 * size > width) {
                lines.add(line.toString());
                line.setLength(0);
                line.append(word);
            } else {
                line.setLength(0);
                line.append(candidate);
            }
        }
        lines.add(line.toString());
    }
}
