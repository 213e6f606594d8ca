package io.docclassify.hazelcast;

import com.hazelcast.config.CompactSerializationConfig;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import io.docclassify.ExtractionLimits;
import java.time.Duration;
import java.util.List;

/**
 * The explicit Compact serializers of everything that crosses the wire; every member and client
 * registers them, so nothing falls back to Java serialization.
 */
final class WireFormat {

    private WireFormat() {}

    static void register(CompactSerializationConfig config) {
        config.addSerializer(new EntrySerializer())
                .addSerializer(new TaskSerializer())
                .addSerializer(new ResultSerializer())
                .addSerializer(new SpecSerializer());
    }

    static final class EntrySerializer implements CompactSerializer<DocumentEntry> {
        @Override
        public DocumentEntry read(CompactReader in) {
            return new DocumentEntry(in.readString("path"), in.readString("root"), in.readBoolean("followLinks"),
                    in.readArrayOfInt8("content"));
        }

        @Override
        public void write(CompactWriter out, DocumentEntry entry) {
            out.writeString("path", entry.path());
            out.writeString("root", entry.root());
            out.writeBoolean("followLinks", entry.followLinks());
            out.writeArrayOfInt8("content", entry.content());
        }

        @Override
        public String getTypeName() {
            return "docclassify.DocumentEntry";
        }

        @Override
        public Class<DocumentEntry> getCompactClass() {
            return DocumentEntry.class;
        }
    }

    static final class TaskSerializer implements CompactSerializer<ChunkTask> {
        @Override
        public ChunkTask read(CompactReader in) {
            return new ChunkTask(in.readString("runId"), in.readInt64("chunkId"),
                    List.of(in.readArrayOfCompact("documents", DocumentEntry.class)));
        }

        @Override
        public void write(CompactWriter out, ChunkTask task) {
            out.writeString("runId", task.runId());
            out.writeInt64("chunkId", task.chunkId());
            out.writeArrayOfCompact("documents", task.documents().toArray(DocumentEntry[]::new));
        }

        @Override
        public String getTypeName() {
            return "docclassify.ChunkTask";
        }

        @Override
        public Class<ChunkTask> getCompactClass() {
            return ChunkTask.class;
        }
    }

    static final class ResultSerializer implements CompactSerializer<ChunkResult> {
        @Override
        public ChunkResult read(CompactReader in) {
            return new ChunkResult(in.readInt64("chunkId"), in.readString("member"), in.readBoolean("admitted"),
                    in.readArrayOfString("records"), in.readInt32("skipped"));
        }

        @Override
        public void write(CompactWriter out, ChunkResult result) {
            out.writeInt64("chunkId", result.chunkId());
            out.writeString("member", result.member());
            out.writeBoolean("admitted", result.admitted());
            out.writeArrayOfString("records", result.records());
            out.writeInt32("skipped", result.skipped());
        }

        @Override
        public String getTypeName() {
            return "docclassify.ChunkResult";
        }

        @Override
        public Class<ChunkResult> getCompactClass() {
            return ChunkResult.class;
        }
    }

    static final class SpecSerializer implements CompactSerializer<PipelineSpec> {
        @Override
        public PipelineSpec read(CompactReader in) {
            ExtractionLimits limits = new ExtractionLimits(in.readInt64("maxBytes"), in.readInt32("textBudget"),
                    in.readInt32("maxChars"), in.readBoolean("fullText"), Duration.ofMillis(in.readInt64("totalTimeoutMs")),
                    Duration.ofMillis(in.readInt64("noProgressTimeoutMs")), in.readBoolean("ocr"),
                    in.readString("ocrLanguages"), in.readBoolean("split"));
            return new PipelineSpec(ClassifierSpecWire.read(in.readString("classifier")), limits);
        }

        @Override
        public void write(CompactWriter out, PipelineSpec spec) {
            ExtractionLimits limits = spec.limits();
            out.writeString("classifier", ClassifierSpecWire.write(spec.classifier()));
            out.writeInt64("maxBytes", limits.maxBytes());
            out.writeInt32("textBudget", limits.textBudget());
            out.writeInt32("maxChars", limits.maxChars());
            out.writeBoolean("fullText", limits.fullText());
            out.writeInt64("totalTimeoutMs", limits.totalTimeout().toMillis());
            out.writeInt64("noProgressTimeoutMs", limits.noProgressTimeout().toMillis());
            out.writeBoolean("ocr", limits.ocr());
            out.writeString("ocrLanguages", limits.ocrLanguages());
            out.writeBoolean("split", limits.split());
        }

        @Override
        public String getTypeName() {
            return "docclassify.PipelineSpec";
        }

        @Override
        public Class<PipelineSpec> getCompactClass() {
            return PipelineSpec.class;
        }
    }
}
