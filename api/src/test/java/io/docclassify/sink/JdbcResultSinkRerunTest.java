package io.docclassify.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentClassifier;
import io.docclassify.Outcome;
import io.docclassify.RunReport;
import io.docclassify.contract.Corpus;
import io.docclassify.contract.SequentialEngine;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline into PostgreSQL, twice over the same files: the second run asks the classifier nothing. */
@Timeout(120)
class JdbcResultSinkRerunTest {

    @RegisterExtension
    final PgTestDatabase db = PgTestDatabase.perTest();

    private final AtomicInteger calls = new AtomicInteger();

    @TempDir
    Path dir;

    /** Counts its calls; labels by text length, which is all these tests need. */
    private final Classifier counting = new Classifier() {
        @Override
        public String id() {
            return "counting-v1";
        }

        @Override
        public Outcome.Classified classify(ExtractedText text) {
            calls.incrementAndGet();
            String label = text.text().length() > 20_000 ? "long" : "short";
            return new Outcome.Classified(label, 1.0, Map.of(label, 1.0));
        }
    };

    private RunReport run(List<Path> files, boolean resume) throws Exception {
        try (DocumentClassifier classifier = DocumentClassifier.builder().engine(new SequentialEngine()).workers(1)
                        .classifier(counting).build();
                JdbcResultSink sink = JdbcResultSink.builder(db.url()).resume(resume).build()) {
            return classifier.run(DocumentSources.files(files), sink);
        }
    }

    private List<Path> corpusWithACopyAndAMissingFile() throws Exception {
        List<Path> files = new ArrayList<>(Corpus.papers(20));
        Path copy = dir.resolve("copy of it's; first\n.pdf");
        Files.copy(files.get(0), copy);
        files.add(copy);
        files.add(dir.resolve("missing.pdf"));
        files.add(longPath(files.get(1)));
        files.add(nonUtf8Name(files.get(2)));
        return files;
    }

    /** A copy about 4,000 characters deep, in folders of 200 (a file name alone may have only 255 bytes). */
    private Path longPath(Path original) throws Exception {
        Path deep = dir;
        while (deep.toString().length() < 3_800) {
            deep = deep.resolve("d".repeat(199) + deep.getNameCount());
        }
        Files.createDirectories(deep);
        return Files.copy(original, deep.resolve("x".repeat(200 - (deep.toString().length() + 1) % 200) + ".pdf"));
    }

    /** A copy whose name has bytes that are not UTF-8, made by the shell since Java encodes names as UTF-8. */
    private Path nonUtf8Name(Path original) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("latin1"));
        Process touch = new ProcessBuilder("sh", "-c", "cp \"$1\" \"$2/caf$(printf '\\351').pdf\"", "sh",
                original.toString(), folder.toString()).inheritIO().start();
        assertThat(touch.waitFor()).as("cp into a non-UTF-8 name").isZero();
        try (Stream<Path> listed = Files.list(folder)) {
            return listed.findFirst().orElseThrow();
        }
    }

    @Test
    void rerunWithResume_skipsEveryDocument_andCallsTheClassifierNever() throws Exception {
        List<Path> files = corpusWithACopyAndAMissingFile();
        run(files, false);
        int first = calls.get();
        long documents = db.count("SELECT count(*) FROM documents");
        long paths = db.count("SELECT count(*) FROM document_paths");
        assertThat(first).as("20 distinct PDFs, some may fail extraction").isBetween(1, 20);
        assertThat(paths).as("every hashed path, the copies included").isEqualTo(23);
        assertThat(db.count("SELECT max(length(path)) FROM document_paths")).isGreaterThanOrEqualTo(3_800);
        assertThat(db.count("SELECT count(*) FROM unread_paths")).isEqualTo(1);

        run(files, true);
        assertThat(calls.get()).as("classifier calls in the second run").isEqualTo(first);
        assertThat(db.count("SELECT count(*) FROM documents")).isEqualTo(documents);
        assertThat(db.count("SELECT count(*) FROM document_paths")).isEqualTo(paths);
        assertThat(db.count("SELECT count(*) FROM runs WHERE ended_at IS NOT NULL")).isEqualTo(2);
    }

    @Test
    void rerunWithoutResume_recordsKnownContentAsDuplicates_withoutClassifying() throws Exception {
        List<Path> files = Corpus.papers(5);
        run(files, false);
        int first = calls.get();
        long documents = db.count("SELECT count(*) FROM documents");
        run(files, false);
        assertThat(calls.get()).as("classifier calls in the second run").isEqualTo(first);
        assertThat(db.count("SELECT count(*) FROM documents")).isEqualTo(documents);
        assertThat(db.count("SELECT count(*) FROM document_paths")).isEqualTo(5);
        assertThat(db.count("SELECT (counters->>'duplicate')::int FROM runs ORDER BY id DESC LIMIT 1"))
                .as("second run: every document known by content").isEqualTo(5);
    }
}
