package io.docclassify.classify;

import io.docclassify.contract.Corpus;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * Seeded streams of 2-5 documents built from shared-corpus PDFs (and text documents typeset into PDFs), as a
 * scanner's batch holds them: each document cut to its first 1-4 pages, with the hard cases on purpose (two
 * documents of one source back to back, a one-page document between longer ones, a blank separator page,
 * which belongs to the document before it), born-digital (pages copied with PDFBox) or scanned (pages
 * rendered greyscale at 150 DPI, turned by up to 1.5 degrees, given noise and stored as JPEG: image only, no
 * text layer).
 *
 * <p>The sources are split once, by source: {@link #TUNING} for fitting the boundary model, {@link #HELD_OUT}
 * for measuring it (docs/splitting.md). The same seed and count give the same streams.
 */
final class PageStreams {

    /** PDF sources the boundary model is fitted on (beside the {@linkplain TypesetSources typeset text sources}). */
    static final Set<String> TUNING = Set.of("throughput_pdfs_papers_we_love", "debian:texlive-latex-extra-doc",
            "ZUGFeRD/corpus", "mcc-us/irs.ea", "CppCon/CppCon2014");
    /** Sources the figures are measured on; never seen by the fit. */
    static final Set<String> HELD_OUT = Set.of("business_docs/resume", "business_docs/contract",
            "business_docs/invoice", "sigp/public-audits", "debian:r-doc-pdf");

    /** A corpus PDF with its label and source. */
    record Source(Path path, String label, String source) {}

    /** One document of a stream: its pages in the stream (1-based, inclusive) and its label. */
    record Part(int first, int last, String label, String source, Path from) {}

    /** A built stream: the file, its parts and whether it is a scan. */
    record Stream(Path file, List<Part> parts, boolean scanned) {
        int pages() {
            return parts.getLast().last();
        }
    }

    private PageStreams() {}

    /** The corpus PDFs of {@code sources}, by source, in path order. */
    static Map<String, List<Source>> sources(Set<String> sources) {
        Map<String, List<Source>> bySource = new TreeMap<>();
        Path root = Corpus.root();
        for (String line : lines(root.resolve("document_type_labels.csv"))) {
            String[] f = line.split(",");
            String source = f[2].equals("business_docs") ? "business_docs/" + f[1] : f[2];
            if (f[0].endsWith(".pdf") && sources.contains(source)) {
                bySource.computeIfAbsent(source, s -> new ArrayList<>()).add(new Source(root.resolve(f[0]), f[1], source));
            }
        }
        Path broad = root.resolve("document_types_broad");
        for (String line : lines(broad.resolve("labels.csv"))) {
            String[] f = line.split(",");
            if (!sources.contains(f[2])) {
                continue;
            }
            Path file = broad.resolve(f[0]);
            Path pdf = f[0].endsWith(".pdf") ? file
                    : TypesetSources.SOURCES.contains(f[2]) ? TypesetSources.typeset(file) : null;
            if (pdf != null) {
                bySource.computeIfAbsent(f[2], s -> new ArrayList<>()).add(new Source(pdf, f[1], f[2]));
            }
        }
        bySource.values().forEach(list -> list.sort(Comparator.comparing(Source::path)));
        return bySource;
    }

    private static List<String> lines(Path csv) {
        try {
            List<String> lines = Files.readAllLines(csv);
            return lines.subList(1, lines.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code count} streams from {@code sources} in {@code folder} ({@code stream-NNN.pdf}), seeded. */
    static List<Stream> build(Set<String> sources, int count, long seed, boolean scanned, Path folder) throws IOException {
        return build(sources, count, seed, scanned, 0, folder);
    }

    /**
     * {@link #build}, with a share {@code longShare} of the documents (not the one-page ones) cut to 5-16 pages
     * instead of 1-4, so that a fit also sees the later pages of long documents (sections, figures, references).
     */
    static List<Stream> build(Set<String> sources, int count, long seed, boolean scanned, double longShare, Path folder)
            throws IOException {
        Files.createDirectories(folder);
        Map<String, List<Source>> bySource = sources(sources);
        List<String> names = new ArrayList<>(bySource.keySet());
        Random random = new Random(seed);
        List<Stream> streams = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            int documents = 2 + random.nextInt(4);
            List<Source> chosen = new ArrayList<>();
            for (int d = 0; d < documents; d++) {
                boolean sameSource = d > 0 && random.nextDouble() < 0.3;
                String source = sameSource ? chosen.getLast().source() : names.get(random.nextInt(names.size()));
                List<Source> pool = bySource.get(source);
                chosen.add(pool.get(random.nextInt(pool.size())));
            }
            int onePage = documents >= 3 && random.nextDouble() < 0.3 ? 1 + random.nextInt(documents - 2) : -1;
            int[] cut = new int[documents];
            boolean[] blankAfter = new boolean[documents];
            for (int d = 0; d < documents; d++) {
                cut[d] = d == onePage ? 1 : 1 + random.nextInt(4);
                if (longShare > 0 && d != onePage && random.nextDouble() < longShare) {
                    cut[d] = 5 + random.nextInt(12);
                }
                blankAfter[d] = d < documents - 1 && random.nextDouble() < 0.15;
            }
            Path file = folder.resolve(String.format("stream-%03d.pdf", s));
            List<Part> parts = write(chosen, cut, blankAfter, file, scanned, new Random(seed * 31 + s));
            streams.add(new Stream(file, parts, scanned));
        }
        writeTruth(streams, folder.resolve("truth.csv"));
        return streams;
    }

    private static List<Part> write(List<Source> chosen, int[] cut, boolean[] blankAfter, Path file, boolean scanned,
            Random noise) throws IOException {
        List<Part> parts = new ArrayList<>();
        List<PDDocument> open = new ArrayList<>();
        try (PDDocument stream = new PDDocument()) {
            int page = 0;
            for (int d = 0; d < chosen.size(); d++) {
                PDDocument source = Loader.loadPDF(chosen.get(d).path().toFile());
                open.add(source);
                int first = page + 1;
                int take = Math.min(cut[d], source.getNumberOfPages());
                PDFRenderer renderer = scanned ? new PDFRenderer(source) : null;
                for (int i = 0; i < take; i++) {
                    if (scanned) {
                        addScan(stream, scan(renderer.renderImageWithDPI(i, 150, ImageType.GRAY), noise));
                    } else {
                        stream.importPage(source.getPage(i));
                    }
                    page++;
                }
                if (blankAfter[d]) {
                    PDRectangle size = source.getPage(0).getMediaBox();
                    if (scanned) {
                        BufferedImage blank = new BufferedImage((int) (size.getWidth() * 150 / 72),
                                (int) (size.getHeight() * 150 / 72), BufferedImage.TYPE_BYTE_GRAY);
                        Graphics2D g = blank.createGraphics();
                        g.setColor(Color.WHITE);
                        g.fillRect(0, 0, blank.getWidth(), blank.getHeight());
                        g.dispose();
                        addScan(stream, scan(blank, noise));
                    } else {
                        stream.addPage(new PDPage(size));
                    }
                    page++;
                }
                parts.add(new Part(first, page, chosen.get(d).label(), chosen.get(d).source(), chosen.get(d).path()));
            }
            stream.save(file.toFile());
        } finally {
            for (PDDocument document : open) {
                document.close();
            }
        }
        return parts;
    }

    /** A rendered page as a scanner gives it: turned a little, with grain. */
    private static BufferedImage scan(BufferedImage page, Random random) {
        double angle = Math.toRadians(random.nextDouble() * 3 - 1.5);
        BufferedImage out = new BufferedImage(page.getWidth(), page.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.rotate(angle, out.getWidth() / 2.0, out.getHeight() / 2.0);
        g.drawImage(page, 0, 0, null);
        g.dispose();
        byte[] row = new byte[out.getWidth()];
        for (int y = 0; y < out.getHeight(); y++) {
            out.getRaster().getDataElements(0, y, out.getWidth(), 1, row);
            for (int x = 0; x < row.length; x++) {
                int v = (row[x] & 0xff) + (int) Math.round(random.nextGaussian() * 12);
                row[x] = (byte) Math.max(0, Math.min(255, v));
            }
            out.getRaster().setDataElements(0, y, out.getWidth(), 1, row);
        }
        return out;
    }

    /** A scanner's page: always Letter, whatever the paper was, so the page size tells nothing. */
    private static void addScan(PDDocument document, BufferedImage image) throws IOException {
        PDRectangle size = PDRectangle.LETTER;
        PDPage page = new PDPage(size);
        document.addPage(page);
        PDImageXObject scan = JPEGFactory.createFromImage(document, image, 0.8f);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
            content.drawImage(scan, 0, 0, size.getWidth(), size.getHeight());
        }
    }

    private static void writeTruth(List<Stream> streams, Path csv) throws IOException {
        StringBuilder out = new StringBuilder("stream,first_page,last_page,label,source,document\n");
        Path root = Corpus.root();
        for (Stream stream : streams) {
            for (Part part : stream.parts()) {
                out.append(stream.file().getFileName()).append(',').append(part.first()).append(',').append(part.last())
                        .append(',').append(part.label()).append(',').append(part.source()).append(',')
                        .append(root.relativize(part.from())).append('\n');
            }
        }
        Files.writeString(csv, out);
    }

    /** The sources and how many PDFs each has, for the docs. */
    static Map<String, Integer> sizes(Set<String> sources) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sources(sources).forEach((source, list) -> sizes.put(source, list.size()));
        return sizes;
    }
}
