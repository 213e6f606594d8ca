package io.docclassify.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MiniLmTest {

    private static final String OPENING = "Invoice number 4711 issued by Example Limited to Acme Corporation for";
    private static final String TEXT_A = OPENING + " three widgets delivered in March, payable within thirty days.";
    private static final String TEXT_B = OPENING + " a lecture on the history of medieval poetry and its influence.";

    @Test
    void aTokenLimit_makesTheModelIgnoreEverythingAfterIt() {
        MiniLm eight = MiniLm.get(8);
        assertThat(eight.vector(TEXT_A)).as("the first 8 tokens are the same").containsExactly(eight.vector(TEXT_B));
        assertThat(MiniLm.get().vector(TEXT_A)).as("at 128 tokens the endings count").isNotEqualTo(MiniLm.get().vector(TEXT_B));
        assertThat(eight.maxTokens()).isEqualTo(8);
        assertThat(MiniLm.get(8)).as("one instance per limit").isSameAs(eight);
    }

    @Test
    void truncatedAt_changesOnlyTheTruncationLength() {
        String config = "{\"version\": \"1.0\", \"truncation\": {\n \"direction\": \"Right\",\n \"max_length\": 128,\n"
                + " \"stride\": 0\n }, \"padding\": {\"max_length\": 128}}";
        assertThat(MiniLm.truncatedAt(config, 48)).isEqualTo(config.replaceFirst("128", "48"));
        assertThatThrownBy(() -> MiniLm.truncatedAt("{\"truncation\": null}", 48))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("truncation max_length");
    }

    @Test
    void withTruncation_addsOneWhereTheConfigurationHasNone() {
        assertThat(MiniLm.withTruncation("{\"truncation\": null, \"padding\": null}", 48)).isEqualTo("{\"truncation\": "
                + "{\"direction\": \"Right\", \"max_length\": 48, \"strategy\": \"LongestFirst\", \"stride\": 0}, \"padding\": null}");
        String shipped = "{\"truncation\": {\"max_length\": 128}}";
        assertThat(MiniLm.withTruncation(shipped, 48)).as("a shipped truncation is left alone").isEqualTo(shipped);
    }

    @Test
    void anotherEncoder_shippedWithoutTruncation_readsOnlyItsTokenLimit() {
        MiniLm eight = MiniLm.get(EncoderComparison.BGE_SMALL, 8);
        assertThat(eight.vector(TEXT_A)).as("the first 8 tokens are the same").containsExactly(eight.vector(TEXT_B));
        assertThat(MiniLm.get(EncoderComparison.BGE_SMALL, 64).vector(TEXT_A)).hasSize(384)
                .isNotEqualTo(MiniLm.get(EncoderComparison.BGE_SMALL, 64).vector(TEXT_B));
        assertThat(eight.id()).isEqualTo("bge-small-en-v1.5-q");
        assertThatThrownBy(() -> MiniLm.get(EncoderComparison.BGE_SMALL, 513)).hasMessage("maxTokens must be in 1..512, got 513");
    }

    @Test
    void limitsOutsideTheModel_areRefused() {
        assertThatThrownBy(() -> MiniLm.get(0)).hasMessage("maxTokens must be in 1..128, got 0");
        assertThatThrownBy(() -> MiniLm.get(129)).hasMessage("maxTokens must be in 1..128, got 129");
    }
}
