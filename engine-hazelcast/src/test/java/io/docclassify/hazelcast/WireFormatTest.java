package io.docclassify.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.map.IMap;
import io.docclassify.ExtractionLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        PipelineSpec spec = new PipelineSpec("rules", Path.of("/shared/taxonomy.yaml"), null,
                new ExtractionLimits(12345, 777, 8888, true, Duration.ofMillis(4321), Duration.ofMillis(1234), true));
        assertThat(roundTrip(spec)).isEqualTo(spec);
        PipelineSpec linear = new PipelineSpec("linear", null, Path.of("/shared/model.bin"), ExtractionLimits.defaults());
        assertThat(roundTrip(linear)).isEqualTo(linear);
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
