package io.docclassify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentClassifier;
import io.docclassify.DocumentRecord;
import io.docclassify.ExtractionLimits;
import io.docclassify.classify.ClassifierSpec;
import io.docclassify.classify.RulesClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.contract.CollectingSink;
import io.docclassify.contract.Corpus;
import io.docclassify.hazelcast.ClusterNode;
import io.docclassify.hazelcast.EngineSettings;
import io.docclassify.hazelcast.HazelcastEngine;
import io.docclassify.hazelcast.PipelineSpec;
import io.docclassify.source.DocumentSources;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded member of the sample takes work from a submitter and counts it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SampleClusterNodeTest {

    @Test
    void theEmbeddedMember_classifiesWhatASubmitterSends() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<Path> inputs = List.of(Corpus.file("bbc_news/docs/sport/001.txt"),
                Corpus.file("business_docs/docs/invoice/invoice2data__AmazonWebServices.pdf"));
        try (ClusterNode node = SampleClusterNode.start(port, List.of())) {
            HazelcastEngine engine = new HazelcastEngine(EngineSettings.client(List.of(node.address()))
                    .withSpec(new PipelineSpec(new ClassifierSpec.Rules(null), ExtractionLimits.defaults())));
            CollectingSink sink = new CollectingSink();
            try (DocumentClassifier classifier = DocumentClassifier.builder().engine(engine)
                    .classifier(new RulesClassifier(Taxonomy.builtIn())).build()) {
                classifier.run(DocumentSources.files(inputs), sink);
            }
            assertThat(sink.records()).extracting(DocumentRecord::path)
                    .containsExactlyInAnyOrderElementsOf(inputs.stream().map(Path::toString).toList());
            assertThat(node.documentsDone()).as("documents the embedded member processed").isEqualTo(inputs.size());
            assertThat(engine.lastRunPerMember()).containsEntry(node.address(), (long) inputs.size());
        }
    }
}
