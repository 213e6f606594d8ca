package io.docclassify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.docclassify.contract.SequentialEngine;
import io.docclassify.run.RunMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** A setting that two builder methods set is given once: the second way is refused, naming the first. */
class DocumentClassifierBuilderTest {

    @Test
    void anEngineByName_thenAnInstance_isRefused() {
        DocumentClassifier.Builder builder = DocumentClassifier.builder().engine("local");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> builder.engine(new SequentialEngine()));
        assertThat(e.getMessage()).contains("DocumentClassifier.engine was already set to local");
        assertThat(e.setting()).isEqualTo("DocumentClassifier.engine");
    }

    @Test
    void anEngineInstance_thenAName_isRefused() {
        DocumentClassifier.Builder builder = DocumentClassifier.builder().engine(new SequentialEngine());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> builder.engine("async"));
        assertThat(e.getMessage()).contains("already set to " + new SequentialEngine().name());
        assertThat(e.value()).isEqualTo("async");
    }

    @Test
    void metersAsARegistry_thenBound_isRefused() {
        DocumentClassifier.Builder builder = DocumentClassifier.builder().meterRegistry(new SimpleMeterRegistry());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> builder.metrics(RunMetrics.none()));
        assertThat(e.getMessage()).contains("already set by DocumentClassifier.meterRegistry");
        DocumentClassifier.Builder other = DocumentClassifier.builder().metrics(RunMetrics.none());
        assertThat(assertThrows(ConfigurationException.class, () -> other.meterRegistry(new SimpleMeterRegistry()))
                .getMessage()).contains("already set by DocumentClassifier.metrics");
    }

    @Test
    void badSizes_nameTheSettingAndCarryTheValue() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> DocumentClassifier.builder().workers(0));
        assertThat(e.getMessage()).isEqualTo("DocumentClassifier.workers must be >= 1, got 0");
        assertThat(e.setting()).isEqualTo("DocumentClassifier.workers");
        assertThat(e.value()).isEqualTo(0);
    }
}
