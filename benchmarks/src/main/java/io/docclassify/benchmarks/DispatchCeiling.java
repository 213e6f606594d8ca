package io.docclassify.benchmarks;

import com.hazelcast.core.HazelcastInstance;
import io.docclassify.DocumentClassifier;
import io.docclassify.Outcome;
import io.docclassify.RunReport;
import io.docclassify.hazelcast.ClusterNode;
import io.docclassify.hazelcast.EngineSettings;
import io.docclassify.hazelcast.HazelcastEngine;
import io.docclassify.hazelcast.NodeSettings;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The submitter's dispatch ceiling: documents per second one submitter hands out and takes back when
 * classifying costs nothing, so what is left is its own work (reading the source, chunking, one round
 * trip per chunk, taking the records back) plus the members' extraction of tiny text files.
 *
 * <p>Workload: {@code DOCUMENTS} generated one-line text files (distinct, seeded), two members in this JVM
 * with 8 workers each, a classifier that returns a fixed label, no sink. Members in the submitter's JVM
 * share its two cores, so the figure is a floor for a submitter whose members run elsewhere.
 * Run: {@code java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar io.docclassify.benchmarks.DispatchCeiling [DOCUMENTS] [CHUNK_SIZE]}
 */
public final class DispatchCeiling {

    private DispatchCeiling() {}

    public static void main(String[] args) throws Exception {
        int documents = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int chunkSize = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path dir = Files.createTempDirectory("dispatch-ceiling");
        List<ClusterNode> members = new ArrayList<>();
        try {
            for (int i = 0; i < documents; i++) {
                Files.writeString(dir.resolve("doc-" + i + ".txt"), "Document " + i + " of the dispatch measurement.\n");
            }
            String cluster = "ceiling-" + UUID.randomUUID();
            List<String> addresses = List.of("127.0.0.1:" + freePort(), "127.0.0.1:" + freePort());
            for (String address : addresses) {
                members.add(ClusterNode.start(new NodeSettings(cluster, addresses, "127.0.0.1",
                        Integer.parseInt(address.substring(address.indexOf(':') + 1)), 8), Duration.ofSeconds(5)));
            }
            EngineSettings settings = EngineSettings.client(addresses).withClusterName(cluster);
            HazelcastInstance client = HazelcastEngine.connect(settings);
            try (DocumentClassifier classifier = DocumentClassifier.builder().engine(new HazelcastEngine(client, settings))
                    .chunkSize(chunkSize).workers(16).classifier(new NoOp()).build()) {
                classifier.run(DocumentSources.directory(dir, false)); // warm-up: JIT, connections
                long start = System.nanoTime();
                RunReport report = classifier.run(DocumentSources.directory(dir, false));
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("dispatch ceiling: %,d documents in %.1f s = %,.0f documents/s (chunks of %d; %s)%n",
                        documents, seconds, documents / seconds, chunkSize, report.documents() + " recorded");
            } finally {
                client.shutdown();
            }
        } finally {
            for (ClusterNode member : members) {
                member.close();
            }
            EngineRuns.deleteTree(dir);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Classifies nothing: every document gets the same label at once. */
    private static final class NoOp implements Classifier {
        @Override
        public String id() {
            return "no-op";
        }

        @Override
        public Outcome.Classified classify(ExtractedText text) {
            return new Outcome.Classified("report", 1.0, Map.of("report", 1.0));
        }

        @Override
        public boolean cpuBound() {
            return false;
        }
    }
}
