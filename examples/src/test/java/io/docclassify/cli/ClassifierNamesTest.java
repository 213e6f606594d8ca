package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docclassify.ConfigurationException;
import io.docclassify.ExtractionLimits;
import io.docclassify.classify.ClassifierSpec;
import io.docclassify.hazelcast.ClusterNode;
import io.docclassify.hazelcast.NodeSettings;
import io.docclassify.hazelcast.PipelineSpec;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The command line and the cluster wire share one classifier list: every name {@code --classifier}
 * accepts crosses a real member's serialization as the same spec, and every case of
 * {@link ClassifierSpec} is reached by a name.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClassifierNamesTest {

    private static ClusterNode node;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        node = ClusterNode.start(new NodeSettings("names-" + UUID.randomUUID(), List.of(), "127.0.0.1", port, 1),
                Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    /** What the CLI builds for {@code --classifier name}, with the files a name needs. */
    private static ClassifierSpec parsed(String name) {
        Path model = name.equals("linear") ? Path.of("/shared/model.bin") : null;
        return ClassifierChoice.spec(name, null, model, new LlmOptions(), Map.of());
    }

    private static PipelineSpec roundTrip(PipelineSpec spec) {
        // A map stores values in binary form: set and get go through the members' serializers.
        var map = node.instance().<String, PipelineSpec>getMap("names-" + UUID.randomUUID());
        map.set("spec", spec);
        return map.get("spec");
    }

    @Test
    void everyNameTheCliAccepts_crossesTheClusterWire_asTheSameClassifier() {
        assertThat(ClassifierChoice.NAMES).as("the CLI's names are the api's list").isEqualTo(ClassifierSpec.NAMES);
        for (String name : ClassifierChoice.NAMES) {
            ClassifierSpec spec = parsed(name);
            assertThat(spec.name()).as("the spec the CLI builds for --classifier %s", name).isEqualTo(name);
            PipelineSpec sent = new PipelineSpec(spec, ExtractionLimits.defaults());
            assertThat(roundTrip(sent)).as("--classifier %s after the cluster wire", name).isEqualTo(sent);
        }
    }

    @Test
    void everyCaseOfTheSpec_isReachedByANameTheCliAccepts() {
        Set<Class<?>> reached = new HashSet<>();
        for (String name : ClassifierChoice.NAMES) {
            reached.add(parsed(name).getClass());
        }
        assertThat(reached).as("ClassifierSpec cases the CLI can build; a case without a name is missing from "
                + "ClassifierSpec.NAMES or ClassifierChoice.spec").containsExactlyInAnyOrder(
                ClassifierSpec.class.getPermittedSubclasses());
    }

    @Test
    void aNameOutsideTheList_isRefusedByTheCli_withTheList() {
        assertThatThrownBy(() -> parsed("bert")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("--classifier must be one of " + ClassifierSpec.NAMES + ", got 'bert'");
    }
}
