package io.docclassify.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.docclassify.ConfigurationException;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.concurrent.ManualTime;
import io.docclassify.run.RunMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The batching layer alone, over a writer that keeps its batches in memory, on a clock the test moves. */
class BatchingSinkTest {

    private final ManualTime time = new ManualTime(ManualTime.Sleeps.RECORD);
    private final List<List<DocumentRecord>> batches = new CopyOnWriteArrayList<>();

    /** Keeps each batch; {@code broken} throws a runtime exception instead, as a writer's bug would. */
    private BatchWriter writer(boolean broken) {
        return new BatchWriter() {
            @Override
            public void write(List<DocumentRecord> batch) {
                if (broken) {
                    throw new IllegalStateException("a bug in the writer");
                }
                batches.add(List.copyOf(batch));
            }

            @Override
            public void close() {}

            @Override
            public String description() {
                return "memory";
            }

            @Override
            public String kind() {
                return "memory";
            }
        };
    }

    private static DocumentRecord record(int i) {
        return new DocumentRecord("/in/" + i, String.format("%064x", i), 1L, "text/plain", 1, 1,
                new Outcome.Classified("x", 1.0, Map.of("x", 1.0)), "rules", Map.of(), 0);
    }

    @Test
    void aRecordWaitsNoLongerThanTheFlushInterval_evenWhenNoOtherComes() throws IOException {
        try (BatchingSink sink = new BatchingSink(writer(false), 100, Duration.ofSeconds(1), RunMetrics.none(), time)) {
            sink.accept(record(1));
            time.advance(Duration.ofMillis(999));
            assertThat(batches).as("not yet due").isEmpty();
            time.advance(Duration.ofMillis(1));
            assertThat(batches).as("the timer wrote the waiting record").hasSize(1);
            sink.accept(record(2));
            assertThat(batches).as("a second after the last write is not over yet").hasSize(1);
        }
        assertThat(batches).as("close wrote the rest").hasSize(2);
    }

    @Test
    void aWriterThatThrowsARuntimeException_stopsTheSinkLikeAFailedWrite() {
        BatchingSink sink = new BatchingSink(writer(true), 1, Duration.ZERO, RunMetrics.none(), time);
        IOException e = assertThrows(IOException.class, () -> sink.accept(record(1)));
        assertThat(e.getMessage()).contains("writing 1 records to memory failed").contains("a bug in the writer");
        assertThrows(IOException.class, () -> sink.accept(record(2)));
        assertThrows(IOException.class, sink::close);
    }

    @Test
    void badSettings_nameTheSettingAndTheValue() {
        ConfigurationException size = assertThrows(ConfigurationException.class,
                () -> new BatchingSink(writer(false), 0, Duration.ZERO, RunMetrics.none(), time));
        assertThat(size.getMessage()).isEqualTo("BatchingSink.batchSize must be >= 1, got 0");
        ConfigurationException interval = assertThrows(ConfigurationException.class,
                () -> new BatchingSink(writer(false), 1, Duration.ofSeconds(-1), RunMetrics.none(), time));
        assertThat(interval.setting()).isEqualTo("BatchingSink.flushInterval");
        assertThat(batches).isEmpty();
    }
}
