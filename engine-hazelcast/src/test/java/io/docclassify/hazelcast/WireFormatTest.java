package io.docclassify.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.map.IMap;
import io.docclassify.ExtractionLimits;
import io.docclassify.classify.ClassifierSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Everything that crosses the wire survives a round trip through a real member's serialization. */
class WireFormatTest {

    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(1, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    private static <T> T roundTrip(T value) {
        // A map stores values in binary form: put and get serialize and deserialize them.
        IMap<String, T> map = cluster.nodes.get(0).instance().getMap("roundtrip-" + UUID.randomUUID());
        map.set("key", value);
        return map.get("key");
    }

    @Test
    void pipelineSpec_withEveryField_survivesARoundTrip() {
        PipelineSpec spec = new PipelineSpec(new ClassifierSpec.Rules(Path.of("/shared/taxonomy.yaml")),
                new ExtractionLimits(12345, 777, 8888, true, Duration.ofMillis(4321), Duration.ofMillis(1234), true,
                        "eng+deu", true));
        assertThat(roundTrip(spec)).isEqualTo(spec);
        PipelineSpec linear = new PipelineSpec(new ClassifierSpec.Linear(Path.of("/shared/model.bin")), ExtractionLimits.defaults());
        assertThat(roundTrip(linear)).isEqualTo(linear);
    }

    @Test
    void llmAndCascadeSpecs_withEverySetting_surviveARoundTrip() {
        ClassifierSpec.Llm llm = new ClassifierSpec.Llm(ClassifierSpec.LlmApi.OPENAI, Path.of("/shared/taxonomy.yaml"),
                List.of("http://gpu-1:8000/v1", "http://gpu-2:8000/v1"), "gpt-4o-mini", true, Duration.ofSeconds(17), 3, 5,
                2500, "MY_KEY_VARIABLE", Path.of("/etc/doc-classify/key"));
        PipelineSpec cascade = new PipelineSpec(new ClassifierSpec.Cascade(new ClassifierSpec.Embedding(null), llm, 0.42),
                ExtractionLimits.defaults());
        assertThat(roundTrip(cascade)).isEqualTo(cascade);
        PipelineSpec vectors = new PipelineSpec(cascade.classifier().withVectors(), ExtractionLimits.defaults());
        assertThat(roundTrip(vectors)).isEqualTo(vectors).isNotEqualTo(cascade);
        PipelineSpec defaults = new PipelineSpec(ClassifierSpec.Llm.of(ClassifierSpec.LlmApi.OLLAMA, null,
                List.of("http://127.0.0.1:11434"), "llama3.2:3b"), ExtractionLimits.defaults());
        assertThat(roundTrip(defaults)).isEqualTo(defaults);
    }

    @Test
    void anLlmSpec_onTheWire_namesTheKeysVariable_butNeverCarriesTheKey() {
        String secret = "sk-test-" + UUID.randomUUID();
        Map<String, String> environment = Map.of("DOC_CLASSIFY_TEST_KEY", secret);
        ClassifierSpec.Llm llm = new ClassifierSpec.Llm(ClassifierSpec.LlmApi.OPENAI, null, List.of("http://127.0.0.1:9"),
                "gpt-4o-mini", false, null, null, null, null, "DOC_CLASSIFY_TEST_KEY", null);
        assertThat(llm.create(environment).toString()).as("the key is read when a member builds the classifier")
                .contains("apiKey=***");
        PipelineSpec spec = new PipelineSpec(new ClassifierSpec.Cascade(new ClassifierSpec.Rules(null), llm, 0.5),
                ExtractionLimits.defaults());

        byte[] wire = cluster.nodes.get(0).instance() instanceof HazelcastInstanceProxy proxy
                ? proxy.getSerializationService().toData(spec).toByteArray()
                : null;
        assertThat(wire).as("the member's serialized form of the spec").isNotNull();
        String text = new String(wire, StandardCharsets.ISO_8859_1);
        assertThat(text).as("serialized spec").contains("DOC_CLASSIFY_TEST_KEY").doesNotContain(secret);
        assertThat(ClassifierSpecWire.write(llm)).doesNotContain(secret);
        assertThat(roundTrip(spec)).isEqualTo(spec);
    }

    @Test
    void chunkTask_withPathsRootsAndShippedContent_survivesARoundTrip() {
        byte[] content = "Invoice 42".getBytes(StandardCharsets.UTF_8);
        ChunkTask task = new ChunkTask("run-1", 7, List.of(
                new DocumentEntry("docs/a.pdf", "docs", false, null),
                new DocumentEntry("/abs/b.txt", null, true, content)));
        ChunkTask back = roundTrip(task);
        assertThat(back.runId()).isEqualTo("run-1");
        assertThat(back.chunkId()).isEqualTo(7);
        assertThat(back.documents()).hasSize(2);
        assertThat(back.documents().get(0)).usingRecursiveComparison().isEqualTo(task.documents().get(0));
        assertThat(back.documents().get(1).content()).isEqualTo(content);
        assertThat(back.documents().get(1).root()).isNull();
        assertThat(back.documents().get(1).followLinks()).isTrue();
    }

    @Test
    void chunkResult_survivesARoundTrip() {
        ChunkResult result = new ChunkResult(3, "127.0.0.1:5701", true, new String[] {"{\"path\":\"a\"}", "{}"}, 2);
        ChunkResult back = roundTrip(result);
        assertThat(back.chunkId()).isEqualTo(3);
        assertThat(back.member()).isEqualTo("127.0.0.1:5701");
        assertThat(back.admitted()).isTrue();
        assertThat(back.records()).containsExactly(result.records());
        assertThat(back.skipped()).isEqualTo(2);
    }
}
