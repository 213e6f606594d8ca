package io.docclassify.extract;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
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
 * Test documents made at test time from corpus PDFs: image-only "scans" (pages rendered greyscale at 200 DPI
 * and stored as JPEG, as scanners do), a PDF mixing born-digital pages with a scanned one, multi-page TIFFs,
 * and stand-in {@code tesseract} executables.
 */
public final class Scans {

    private static final int DPI = 200;

    private Scans() {}

    /** The first {@code pages} pages of {@code source} as an image-only PDF at {@code target}. */
    public static Path scanOf(Path source, int pages, Path target) throws IOException {
        try (PDDocument original = Loader.loadPDF(source.toFile()); PDDocument scan = new PDDocument()) {
            PDFRenderer renderer = new PDFRenderer(original);
            for (int i = 0; i < Math.min(pages, original.getNumberOfPages()); i++) {
                addScannedPage(scan, renderer.renderImageWithDPI(i, DPI, ImageType.GRAY),
                        original.getPage(i).getMediaBox());
            }
            scan.save(target.toFile());
        }
        return target;
    }

    /** Page 1 of {@code bornDigital} as it is, then page 1 of {@code scanned} as a scan. */
    public static Path mixed(Path bornDigital, Path scanned, Path target) throws IOException {
        try (PDDocument text = Loader.loadPDF(bornDigital.toFile());
                PDDocument image = Loader.loadPDF(scanned.toFile());
                PDDocument mixed = new PDDocument()) {
            mixed.importPage(text.getPage(0));
            addScannedPage(mixed, new PDFRenderer(image).renderImageWithDPI(0, DPI, ImageType.GRAY),
                    image.getPage(0).getMediaBox());
            mixed.save(target.toFile());
        }
        return target;
    }

    /** Page 1 of each of {@code sources}, rendered, as the pages of one TIFF. */
    public static Path tiff(List<Path> sources, Path target) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(target.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (Path source : sources) {
                try (PDDocument document = Loader.loadPDF(source.toFile())) {
                    BufferedImage page = new PDFRenderer(document).renderImageWithDPI(0, DPI, ImageType.GRAY);
                    writer.writeToSequence(new IIOImage(page, null, null), null);
                }
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return target;
    }

    private static void addScannedPage(PDDocument document, BufferedImage image, PDRectangle size) throws IOException {
        PDPage page = new PDPage(size);
        document.addPage(page);
        PDImageXObject scan = JPEGFactory.createFromImage(document, image, 0.8f);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
            content.drawImage(scan, 0, 0, size.getWidth(), size.getHeight());
        }
    }

    /**
     * An executable {@code tesseract} in {@code dir} that answers {@code --list-langs} with {@code eng}, and
     * otherwise runs {@code body} (a shell script; {@code $@} are Tesseract's arguments).
     */
    public static Path standIn(Path dir, String body) throws IOException {
        Path script = dir.resolve("tesseract");
        Files.writeString(script, """
                #!/bin/sh
                if [ "$1" = --list-langs ]; then
                    echo 'List of available languages in "/stand-in/" (1):'
                    echo eng
                    exit 0
                fi
                """ + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** The real {@code tesseract} on the PATH, or {@code null}. */
    public static Path realTesseract() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "tesseract"))) {
                return Path.of(dir, "tesseract");
            }
        }
        return null;
    }

    /** A stand-in that appends its arguments to {@code log} and runs the real Tesseract. */
    public static Path loggingTesseract(Path dir, Path log) throws IOException {
        return standIn(dir, "echo \"$@\" >> '" + log + "'\nexec '" + realTesseract() + "' \"$@\"");
    }
}
