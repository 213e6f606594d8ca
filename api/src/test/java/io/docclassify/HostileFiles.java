package io.docclassify;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;

/** Generates hostile documents: decompression bombs, entity expansion, external entities, deep nesting. */
final class HostileFiles {

    private HostileFiles() {}

    /**
     * A zip of {@code copies} zips, each holding {@code innerMiB} MiB of repeated text: a few hundred
     * kilobytes on disk, {@code copies × innerMiB} MiB once unpacked.
     */
    static Path zipBomb(Path file, int copies, int innerMiB) throws IOException {
        byte[] inner = zip("bomb.txt", out -> {
            byte[] line = "all work and no play makes jack a dull boy\n".getBytes(UTF_8);
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < block.length; i++) {
                block[i] = line[i % line.length];
            }
            for (int i = 0; i < innerMiB; i++) {
                out.write(block);
            }
        });
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            for (int i = 0; i < copies; i++) {
                zip.putNextEntry(new ZipEntry("layer-" + i + ".zip"));
                zip.write(inner);
                zip.closeEntry();
            }
        }
        return file;
    }

    /** A zip holding a zip holding ... {@code depth} levels down, with one text file at the bottom. */
    static Path nestedArchive(Path file, int depth, String bottomText) throws IOException {
        byte[] current = zip("bottom.txt", out -> out.write(bottomText.getBytes(UTF_8)));
        for (int level = depth - 1; level > 0; level--) {
            byte[] inner = current;
            current = zip("level-" + level + ".zip", out -> out.write(inner));
        }
        return Files.write(file, current);
    }

    /** The "billion laughs": ten levels of entities, each ten of the one below, 10^9 "lol"s in all. */
    static Path billionLaughs(Path file) throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
        for (int level = 1; level <= 9; level++) {
            String below = level == 1 ? "&lol;" : "&lol" + (level - 1) + ";";
            xml.append(" <!ENTITY lol").append(level).append(" \"").append(below.repeat(10)).append("\">\n");
        }
        xml.append("]>\n<lolz>&lol9;</lolz>\n");
        return Files.writeString(file, xml, UTF_8);
    }

    /** An XML document whose entity and DTD point at {@code target} (a file: or http: URL), with visible text around it. */
    static Path externalEntity(Path file, String target) throws IOException {
        return Files.writeString(file, "<?xml version=\"1.0\"?>\n<!DOCTYPE note SYSTEM \"" + target + "\" [\n"
                + " <!ENTITY stolen SYSTEM \"" + target + "\">\n]>\n"
                + "<note><to>Invoice department</to><body>Please see the attached invoice. &stolen;</body></note>\n",
                UTF_8);
    }

    /** An SVG (XML) that pulls an external stylesheet and an XInclude from {@code target}. */
    static Path externalReferences(Path file, String target) throws IOException {
        return Files.writeString(file, "<?xml version=\"1.0\"?>\n<?xml-stylesheet href=\"" + target + "\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xi=\"http://www.w3.org/2001/XInclude\">"
                + "<text>a drawing</text><xi:include href=\"" + target + "\" parse=\"text\"/>"
                + "<image href=\"" + target + "\"/></svg>\n", UTF_8);
    }

    /** A PDF of {@code pages} empty pages. */
    static Path emptyPages(Path file, int pages) throws IOException {
        try (PDDocument document = new PDDocument()) {
            for (int i = 0; i < pages; i++) {
                document.addPage(new PDPage());
            }
            document.save(file.toFile());
        }
        return file;
    }

    private interface Content {
        void write(OutputStream out) throws IOException;
    }

    private static byte[] zip(String entry, Content content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry(entry));
            content.write(zip);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
