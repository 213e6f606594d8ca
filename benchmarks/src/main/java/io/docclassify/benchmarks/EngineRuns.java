package io.docclassify.benchmarks;

import io.docclassify.DocumentClassifier;
import io.docclassify.RunReport;
import io.docclassify.sink.JsonLinesSink;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.DocumentSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/** One whole run of an engine into a JSON Lines file, as the engine benchmarks measure it. */
final class EngineRuns {

    private EngineRuns() {}

    /** Runs {@code source} into {@code output} (replaced), batches of 100 or every second, as the CLI does. */
    static RunReport run(DocumentClassifier classifier, DocumentSource source, Path output)
            throws IOException, InterruptedException {
        try (JsonLinesSink sink = JsonLinesSink.open(output, JsonLinesSink.Mode.OVERWRITE, 100, Duration.ofSeconds(1))) {
            return classifier.run(source, sink);
        }
    }

    static DocumentSource directory(Path dir) {
        return DocumentSources.directory(dir, false);
    }


    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
