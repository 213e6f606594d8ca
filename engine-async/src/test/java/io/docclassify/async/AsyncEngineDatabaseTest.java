package io.docclassify.async;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentClassifier;
import io.docclassify.Outcome;
import io.docclassify.RunReport;
import io.docclassify.sink.JdbcResultSink;
import io.docclassify.sink.PgTestDatabase;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The async engine into the PostgreSQL sink, the batching sink the other engines use: 50 documents
 * in flight, batches of 10, copies of every content; a second run over a store that knows every
 * hash classifies nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AsyncEngineDatabaseTest {

    private PgTestDatabase db;
    private final AtomicInteger calls = new AtomicInteger();

    @TempDir
    Path dir;

    @BeforeEach
    void createDatabase() {
        db = PgTestDatabase.create();
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        if (db != null) { // null when the test was skipped for want of a server
            db.close();
        }
    }

    /** Counts its calls and waits 50 ms, like a model behind HTTP; declares itself I/O-bound. */
    private final Classifier waiting = new Classifier() {
        @Override
        public String id() {
            return "waiting-v1";
        }

        @Override
        public Outcome.Classified classify(ExtractedText text) {
            calls.incrementAndGet();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Outcome.Classified("memo", 1.0, Map.of("memo", 1.0));
        }

        @Override
        public boolean cpuBound() {
            return false;
        }
    };

    private RunReport run(List<Path> files) throws Exception {
        try (DocumentClassifier classifier = DocumentClassifier.builder().engine("async").maxConcurrent(50)
                        .classifier(waiting).build();
                JdbcResultSink sink = JdbcResultSink.builder(db.url()).batchSize(10).build()) {
            return classifier.run(DocumentSources.files(files), sink);
        }
    }

    @Test
    void copiesInFlightTogether_leaveOneRowPerContent_andARerunClassifiesNothing() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String text = "Memorandum " + i + " to all staff about the new parking rules";
            files.add(Files.writeString(dir.resolve("memo" + i + ".txt"), text));
            files.add(Files.writeString(dir.resolve("copy-of-memo" + i + ".txt"), text));
        }
        RunReport first = run(files);
        assertThat(first.documents()).as("records of the first run").isEqualTo(files.size());
        assertThat(first.duplicates()).as("one copy of each content is a duplicate").isEqualTo(30);
        assertThat(calls.get()).as("classifier calls: one per content").isEqualTo(30);
        assertThat(db.count("SELECT count(*) FROM documents")).as("rows in documents").isEqualTo(30);
        assertThat(db.count("SELECT count(*) FROM document_paths")).as("rows in document_paths").isEqualTo(files.size());

        RunReport second = run(files);
        assertThat(calls.get()).as("classifier calls after a rerun over a store that knows every hash").isEqualTo(30);
        assertThat(second.duplicates()).as("every document of the rerun is a duplicate of a stored result")
                .isEqualTo(files.size());
        assertThat(db.count("SELECT count(*) FROM documents")).isEqualTo(30);
    }
}
