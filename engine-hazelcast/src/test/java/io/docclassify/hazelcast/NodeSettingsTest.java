package io.docclassify.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docclassify.ConfigurationException;
import io.docclassify.ExtractionLimits;
import io.docclassify.classify.ClassifierSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A member's own LLM servers: which URLs it takes, and how they replace the submitter's in a spec. */
class NodeSettingsTest {

    @Test
    void llmUrls_takeBaseUrlsOrHostAndPort_andRefuseTheRestWithAnExample() {
        assertThat(NodeSettings.defaults().withLlmUrls(List.of("http://gpu1:11434", "gpu2:11434")).llmUrls())
                .containsExactly("http://gpu1:11434", "gpu2:11434");
        assertThatThrownBy(() -> NodeSettings.defaults().withLlmUrls(List.of("ftp://gpu1/")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("base URLs such as http://127.0.0.1:11434, got 'ftp://gpu1/'");
    }

    @Test
    void aMembersLlmUrls_replaceTheSubmitters_inACascadesLlm_andLeaveTheRestAsItIs() {
        ClassifierSpec.Llm llm = new ClassifierSpec.Llm(ClassifierSpec.LlmApi.OPENAI, null, List.of("http://submitter:8000"),
                "gpt-4o-mini", true, null, 2, 1, 3000, "OPENAI_API_KEY", null);
        PipelineSpec submitted = new PipelineSpec(new ClassifierSpec.Cascade(new ClassifierSpec.Embedding(null), llm, 0.6),
                ExtractionLimits.defaults());

        PipelineSpec onMember = submitted.withLlmUrls(List.of("http://127.0.0.1:11434"));

        ClassifierSpec.Cascade cascade = (ClassifierSpec.Cascade) onMember.classifier();
        ClassifierSpec.Llm second = (ClassifierSpec.Llm) cascade.second();
        assertThat(second.urls()).containsExactly("http://127.0.0.1:11434");
        assertThat(second).usingRecursiveComparison().ignoringFields("urls").isEqualTo(llm);
        assertThat(cascade.first()).isEqualTo(new ClassifierSpec.Embedding(null));
        assertThat(cascade.escalateBelow()).isEqualTo(0.6);
        assertThat(submitted.withLlmUrls(List.of())).as("no URLs of its own: the submitter's").isSameAs(submitted);
    }
}
