package io.docclassify.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.docclassify.DocumentClassifier;
import io.docclassify.DocumentRecord;
import io.docclassify.ExtractionLimits;
import io.docclassify.Outcome;
import io.docclassify.RunReport;
import io.docclassify.classify.ClassifierSpec;
import io.docclassify.sink.JsonLinesSink;
import io.docclassify.contract.CollectingSink;
import io.docclassify.contract.Corpus;
import io.docclassify.contract.EngineContract;
import io.docclassify.contract.SequentialEngine;
import io.docclassify.extract.TikaExtractor;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine contract on a cluster of three real members in this JVM, plus what only this engine
 * promises: members rebuild the pipeline from a spec and give the records of the sequential reference (which {@code local} matches).
 */
class HazelcastEngineTest extends EngineContract {

    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start(3, 2);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    /** Submits through the first member; without a spec, the members use the submitter's own pipeline. */
    @Override
    protected Engine engine() {
        return new HazelcastEngine(cluster.nodes.get(0).instance(),
                EngineSettings.client(cluster.addresses()).withSpec(null).withClusterName(cluster.name));
    }

    @Test
    void membersBuildingFromTheSpec_giveTheRecordsOfLocal_andEveryMemberTakesWork() throws Exception {
        List<Path> inputs = new ArrayList<>(Corpus.papers(12));
        inputs.add(Corpus.file("business_docs/docs/contract/cuad_test__09_outsourcing_sykeshealthplan.pdf"));
        inputs.add(Corpus.file("business_docs/docs/invoice/invoice2data__AmazonWebServices.pdf"));
        inputs.add(Corpus.file("bbc_news/docs/sport/001.txt"));
        inputs.add(temp.resolve("missing.pdf"));
        HazelcastEngine engine = new HazelcastEngine(EngineSettings.client(cluster.addresses())
                .withClusterName(cluster.name).withSpec(new PipelineSpec(new ClassifierSpec.Embedding(null), ExtractionLimits.defaults())));

        List<DocumentRecord> distributed = records(DocumentClassifier.builder().engine(engine).workers(2).chunkSize(2), inputs);
        List<DocumentRecord> reference = records(DocumentClassifier.builder().engine(new SequentialEngine())
                .extractor(new TikaExtractor(ExtractionLimits.defaults())), inputs);

        assertThat(withoutTimings(distributed)).as("records of hazelcast (spec-built pipelines) vs the sequential reference")
                .isEqualTo(withoutTimings(reference));
        Map<String, Long> perMember = engine.lastRunPerMember();
        assertThat(perMember.keySet()).as("members that took work").containsExactlyInAnyOrderElementsOf(cluster.addresses());
        assertThat(perMember.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(inputs.size());
    }

    @Test
    void recordsFromSpecBuiltMembers_goThroughTheRunsDedupAndResumeMemory() throws Exception {
        List<Path> inputs = new ArrayList<>(Corpus.papers(4));
        inputs.add(Files.copy(inputs.get(0), temp.resolve("copy.pdf")));
        HazelcastEngine engine = new HazelcastEngine(EngineSettings.client(cluster.addresses())
                .withClusterName(cluster.name).withSpec(new PipelineSpec(new ClassifierSpec.Rules(null), ExtractionLimits.defaults())));
        Path results = temp.resolve("results.jsonl");
        try (DocumentClassifier classifier = rules(engine);
                JsonLinesSink sink = JsonLinesSink.open(results, JsonLinesSink.Mode.CREATE)) {
            classifier.run(DocumentSources.files(inputs.subList(0, 2)), sink);
        }
        RunReport resumed;
        try (DocumentClassifier classifier = rules(engine);
                JsonLinesSink sink = JsonLinesSink.open(results, JsonLinesSink.Mode.RESUME)) {
            resumed = classifier.run(DocumentSources.files(inputs), sink);
        }
        List<DocumentRecord> records = lines(results);
        assertThat(records).extracting(DocumentRecord::path).as("every path once after the resumed run")
                .containsExactlyInAnyOrderElementsOf(inputs.stream().map(Path::toString).toList());
        assertThat(resumed.resumed()).as("documents the first run recorded are skipped").isEqualTo(2);
        DocumentRecord copy = records.stream().filter(r -> r.path().endsWith("copy.pdf")).findFirst().orElseThrow();
        assertThat(copy.outcome()).as("the copy of a document recorded earlier")
                .isEqualTo(new Outcome.Duplicate(copy.sha256()));
        assertThat(resumed.duplicates()).isEqualTo(1);
    }

    private static DocumentClassifier rules(HazelcastEngine engine) {
        return DocumentClassifier.builder().engine(engine).workers(2).chunkSize(1)
                .classifier(new PipelineSpec(new ClassifierSpec.Rules(null), ExtractionLimits.defaults()).createClassifier()).build();
    }

    @Test
    void shippedContent_isClassifiedLikeTheFile_underTheOriginalPath() throws Exception {
        List<Path> inputs = List.of(Corpus.file("bbc_news/docs/sport/001.txt"), Corpus.file("bbc_news/docs/business/001.txt"));
        EngineSettings settings = EngineSettings.client(cluster.addresses()).withClusterName(cluster.name)
                .withSpec(new PipelineSpec(new ClassifierSpec.Rules(null), ExtractionLimits.defaults()));
        List<DocumentRecord> shipped = records(DocumentClassifier.builder()
                .engine(new HazelcastEngine(settings.withShipContentLimit(1 << 20))).classifier(
                        new PipelineSpec(new ClassifierSpec.Rules(null), ExtractionLimits.defaults()).createClassifier()), inputs);
        List<DocumentRecord> byPath = records(DocumentClassifier.builder()
                .engine(new HazelcastEngine(settings)).classifier(
                        new PipelineSpec(new ClassifierSpec.Rules(null), ExtractionLimits.defaults()).createClassifier()), inputs);
        assertThat(withoutTimings(shipped)).isEqualTo(withoutTimings(byPath));
        assertThat(shipped).extracting(DocumentRecord::path)
                .containsExactlyInAnyOrderElementsOf(inputs.stream().map(Path::toString).toList());
    }

    @Test
    void aRunWithoutSpec_isRefusedByMembersOutsideTheSubmittersJvm_withWhatToDo() {
        // A run id that no submitter in this JVM registered stands for a submitter in another JVM.
        ChunkTask task = new ChunkTask("run-from-elsewhere", 0, List.of(new DocumentEntry("a.txt", null, true, null)));
        var member = cluster.nodes.get(1).instance();
        ExecutionException e = assertThrows(ExecutionException.class, () -> member
                .getExecutorService(ClusterConfigs.EXECUTOR).submitToMember(task, member.getCluster().getLocalMember())
                .get(60, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(PipelineUnavailableException.class)
                .hasMessageContaining("has no pipeline spec").hasMessageContaining("PipelineSpec");
    }

    @Test
    void noMemberAnswering_failsWithWhatToStart() {
        HazelcastEngine engine = new HazelcastEngine(EngineSettings.client(List.of("127.0.0.1:" + TestCluster.freePort()))
                .withClusterName("nobody-" + cluster.name));
        Exception e = assertThrows(Exception.class, () -> {
            try (DocumentClassifier classifier = DocumentClassifier.builder().engine(engine).build()) {
                classifier.run(DocumentSources.files(List.of(Corpus.file("bbc_news/docs/sport/001.txt"))), new CollectingSink());
            }
        });
        assertThat(e).hasMessageContaining("ClusterNode.start");
    }

    private static List<DocumentRecord> records(DocumentClassifier.Builder builder, List<Path> inputs) throws Exception {
        CollectingSink sink = new CollectingSink();
        RunReport report;
        try (DocumentClassifier classifier = builder.build()) {
            report = classifier.run(DocumentSources.files(inputs), sink);
        }
        assertThat(report.documents()).isEqualTo(inputs.size());
        return sink.records();
    }

    /** Records sorted by path without their timings, which differ from run to run. */
    static List<DocumentRecord> withoutTimings(List<DocumentRecord> records) {
        return records.stream()
                .map(r -> new DocumentRecord(r.path(), r.sha256(), r.bytes(), r.mediaType(), r.pages(), r.chars(),
                        r.outcome(), r.classifier(), Map.of(), r.parserWarnings()))
                .sorted(Comparator.comparing(DocumentRecord::path))
                .collect(Collectors.toList());
    }
}
