package io.docclassify.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentClassifier;
import io.docclassify.RunReport;
import io.docclassify.sink.JsonLinesSink;
import io.docclassify.source.DocumentSources;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short end-to-end measurement in CI: the defaults must stay above the users' floor of 826
 * documents/hour. The real figures are orders of magnitude higher and live in the README (from
 * {@link EndToEndBenchmark}); this guards against a change that makes the pipeline unusably slow.
 */
class ThroughputFloorTest {

    /** The floor the users set: 826 documents an hour at the very least. */
    static final double FLOOR_DOCUMENTS_PER_HOUR = 826;

    @TempDir
    Path temp;

    @Test
    void defaults_projectAboveTheUsersFloor() throws Exception {
        List<Path> papers = BenchCorpus.files(BenchCorpus.papers(), Set.of("pdf")).subList(0, 30);
        RunReport report;
        try (DocumentClassifier classifier = DocumentClassifier.builder().build();
                JsonLinesSink sink = JsonLinesSink.open(temp.resolve("r.jsonl"), JsonLinesSink.Mode.CREATE)) {
            report = classifier.run(DocumentSources.files(papers), sink);
        }
        System.out.println(EndToEndBenchmark.summary("floor-check", report));
        assertThat(report.classified()).as("every paper classified").isEqualTo(papers.size());
        assertThat(report.documentsPerHour()).as("documents/hour with the defaults").isGreaterThan(FLOOR_DOCUMENTS_PER_HOUR);
    }
}
