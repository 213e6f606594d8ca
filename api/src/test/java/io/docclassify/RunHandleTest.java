package io.docclassify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docclassify.contract.CollectingSink;
import io.docclassify.contract.MixedCorpus;
import io.docclassify.contract.SequentialEngine;
import io.docclassify.contract.SteppedClassifier;
import io.docclassify.source.DocumentSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A run watched and stopped through its own handle, while another run of the same classifier goes on. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunHandleTest {

    @TempDir
    Path temp;

    @Test
    void stoppingOneHandle_stopsThatRunOnly_andItsCountsFollowItsRecords() throws Exception {
        Path input = temp.resolve("in");
        int files = MixedCorpus.create(input, 20, 2);
        SteppedClassifier gate = new SteppedClassifier();
        try (DocumentClassifier classifier = DocumentClassifier.builder().engine(new SequentialEngine())
                .classifier(gate).build()) {
            RunHandle first = new RunHandle();
            RunHandle second = new RunHandle();
            CollectingSink firstSink = new CollectingSink();
            CollectingSink secondSink = new CollectingSink();
            CompletableFuture<RunReport> one = runAsync(classifier, input, firstSink, first);
            gate.allow(3);
            Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> first.classified() == 3);
            first.stop();
            gate.openFully();
            RunReport stopped = one.get(60, TimeUnit.SECONDS);
            assertThat(stopped.stopped()).as("the stopped run says so").isTrue();
            assertThat(firstSink.records()).as("the stopped run ended before the end of its input").hasSizeLessThan(files);
            assertThat(first.recorded()).isEqualTo(firstSink.records().size());

            RunReport whole = runAsync(classifier, input, secondSink, second).get(60, TimeUnit.SECONDS);
            assertThat(whole.stopped()).as("a stop of another run's handle does not reach this one").isFalse();
            assertThat(secondSink.records()).hasSize(files);
            assertThat(second.recorded()).isEqualTo(files);
            assertThat(second.failed()).isEqualTo(2);
            assertThat(second.classified() + second.duplicates()).isEqualTo(files - 2);
        }
    }

    @Test
    void aHandle_servesOneRunOnly() throws Exception {
        Path input = temp.resolve("one");
        MixedCorpus.create(input, 1, 0);
        try (DocumentClassifier classifier = DocumentClassifier.builder().engine(new SequentialEngine())
                .classifier(new io.docclassify.classify.RulesClassifier(io.docclassify.classify.Taxonomy.builtIn()))
                .build()) {
            RunHandle handle = new RunHandle();
            classifier.run(DocumentSources.directory(input, false), new CollectingSink(), handle);
            assertThatThrownBy(() -> classifier.run(DocumentSources.directory(input, false), new CollectingSink(), handle))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("use a new RunHandle per run");
        }
    }

    private static CompletableFuture<RunReport> runAsync(DocumentClassifier classifier, Path input,
            CollectingSink sink, RunHandle handle) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return classifier.run(DocumentSources.directory(input, false), sink, handle);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
