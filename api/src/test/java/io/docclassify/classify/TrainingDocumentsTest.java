package io.docclassify.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docclassify.ConfigurationException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading a labels CSV for training: what works, and what is skipped with its line. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TrainingDocumentsTest {

    @TempDir
    Path temp;

    @Test
    void read_problemRows_areSkippedNamingTheirLine_theRestIsRead() throws Exception {
        Path docs = Files.createDirectories(temp.resolve("docs"));
        Files.writeString(docs.resolve("a.txt"), "Shares rose on strong quarterly profits.");
        Files.createFile(docs.resolve("empty.txt"));
        Files.write(docs.resolve("latin1.txt"), "Le café de la gare: résultats du match, équipe gagnante."
                .getBytes(Charset.forName("windows-1252")));
        Files.write(docs.resolve("utf16.txt"), "The minister announced the election date.".getBytes(StandardCharsets.UTF_16));
        Files.writeString(docs.resolve("blank.txt"), "   \n\n  ");
        Path csv = Files.writeString(temp.resolve("labels.csv"), """
                path,label,note
                docs/a.txt,business,x
                docs/missing.pdf,business,x
                docs/empty.txt,tech,x
                docs/latin1.txt,sport,odd encoding
                docs/utf16.txt,politics,odd encoding
                docs/blank.txt,tech,x
                docs/a.txt,,no label
                """);

        TrainingDocuments read = TrainingDocuments.read(csv, "label", 2);

        assertThat(read.examples()).extracting(LinearClassifier.Example::label).as("documents that gave text")
                .containsExactly("business", "sport", "politics");
        assertThat(read.files()).as("each example's file").containsExactly(docs.resolve("a.txt").toAbsolutePath().normalize(),
                docs.resolve("latin1.txt").toAbsolutePath().normalize(), docs.resolve("utf16.txt").toAbsolutePath().normalize());
        assertThat(read.examples().get(1).text()).as("windows-1252 decoded").contains("café", "équipe");
        assertThat(read.examples().get(2).text()).as("UTF-16 decoded").contains("minister announced");
        assertThat(read.skipped()).containsExactly(
                "labels.csv line 3: docs/missing.pdf: no such file",
                "labels.csv line 4: docs/empty.txt: the file has no bytes",
                "labels.csv line 7: docs/blank.txt: no text found (a scan or an image; training does not run OCR)");
        assertThat(read.unlabelled()).as("rows with an empty label, counted, not read").isEqualTo(1);
    }

    @Test
    void read_undecodableFile_isSkippedWithTheParserReason() throws Exception {
        Files.write(temp.resolve("broken.pdf"), "%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(temp.resolve("ok.txt"), "fine text");
        Path csv = Files.writeString(temp.resolve("l.csv"), "path,label\nok.txt,a\nbroken.pdf,b\n");

        TrainingDocuments read = TrainingDocuments.read(csv, "label", 1);

        assertThat(read.skipped()).hasSize(1);
        assertThat(read.skipped().get(0)).startsWith("l.csv line 3: broken.pdf: ");
    }

    @Test
    void read_labelColumnMissing_isRefusedNamingTheHeaderAndTheOption() throws IOException {
        Path csv = Files.writeString(temp.resolve("l.csv"), "path,doc_type\na.txt,x\n");

        assertThatThrownBy(() -> TrainingDocuments.read(csv, "label", 1)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'path' and 'label'").hasMessageContaining("[path, doc_type]")
                .hasMessageContaining("TrainingDocuments.labelColumn");
    }

    @Test
    void read_missingCsv_isRefused() {
        assertThatThrownBy(() -> TrainingDocuments.read(temp.resolve("none.csv"), "label", 1))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("does not exist");
    }

    @Test
    void read_realDocuments_giveTheSameTextAsClassifyWould() throws Exception {
        List<Path> files = BbcSample.files("sport", 0, 3);
        StringBuilder csv = new StringBuilder("path,label\n");
        files.forEach(f -> csv.append(f.toAbsolutePath()).append(",sport\n"));
        Path labels = Files.writeString(temp.resolve("l.csv"), csv);

        TrainingDocuments read = TrainingDocuments.read(labels, "label", 2);

        assertThat(read.skipped()).isEmpty();
        assertThat(read.examples()).hasSize(3);
        assertThat(read.examples().get(0).text().strip()).isEqualTo(BbcSample.read(files.get(0)).strip());
        assertThat(read.examples().get(0).sha256()).matches("[0-9a-f]{64}");
    }
}
