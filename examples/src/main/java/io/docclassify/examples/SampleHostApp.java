package io.docclassify.examples;

import io.docclassify.DocumentClassifier;
import io.docclassify.RunReport;
import io.docclassify.sink.JsonLinesSink;
import io.docclassify.source.DocumentSources;
import java.nio.file.Path;

/**
 * A host application that embeds doc-classify: classify a folder into a JSON Lines file and print the report.
 *
 * <p>Its code is quoted in the README; a test runs it and checks the README still quotes it.
 * Run: {@code java -cp examples/target/doc-classify.jar io.docclassify.examples.SampleHostApp FOLDER OUTPUT}
 */
public final class SampleHostApp {

    private SampleHostApp() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: SampleHostApp FOLDER OUTPUT.jsonl");
            System.exit(2);
        }
        // README-BEGIN
        Path folder = Path.of(args[0]);
        Path output = Path.of(args[1]);
        try (DocumentClassifier classifier = DocumentClassifier.builder()
                        .engine("local")     // or "async", "hazelcast" once their modules are built
                        .workers(2)
                        .build();
                JsonLinesSink sink = JsonLinesSink.open(output, JsonLinesSink.Mode.OVERWRITE)) {
            RunReport report = classifier.run(DocumentSources.directory(folder, false), sink);
            System.out.printf("%d documents: %d classified, %d failed, %d duplicates; labels %s%n",
                    report.documents(), report.classified(), report.failed(), report.duplicates(),
                    report.byLabel());
            System.out.printf("%.0f documents/hour, %.1f pages/s%n",
                    report.documentsPerHour(), report.pagesPerSecond());
        }
        // README-END
    }
}
