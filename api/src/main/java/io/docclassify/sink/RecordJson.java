package io.docclassify.sink;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.Segment;
import io.docclassify.Stage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The JSON Lines record format: one {@link DocumentRecord} per line, camelCase fields, absent values omitted.
 *
 * <p>Thread-safe. The field set is a promise to users who script against it: fields are only added,
 * never renamed or removed, and readers ignore fields they do not know.
 */
public final class RecordJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RecordJson() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"path", "sha256", "bytes", "mediaType", "pages", "ocrPages", "chars", "outcome", "label", "confidence",
            "scores", "segments", "decidedBy", "rationale", "classifier", "failure", "duplicateOf", "timingsMs", "parserWarnings", "embedding"})
    record Line(
            String path,
            String sha256,
            Long bytes,
            String mediaType,
            Integer pages,
            Integer ocrPages,
            Integer chars,
            String outcome,
            String label,
            Double confidence,
            Map<String, Double> scores,
            List<SegmentLine> segments,
            String decidedBy,
            String rationale,
            String classifier,
            Failure failure,
            String duplicateOf,
            Map<String, Long> timingsMs,
            Integer parserWarnings,
            float[] embedding) {}

    record Failure(String stage, String reason, String message) {}

    /** A segment as written: {@code {"pages": [first, last], "label": ..., "confidence": ...}}. */
    @JsonPropertyOrder({"pages", "label", "confidence"})
    record SegmentLine(int[] pages, String label, double confidence) {

        static SegmentLine of(Segment segment) {
            return new SegmentLine(new int[] {segment.first(), segment.last()}, segment.label(), segment.confidence());
        }

        Segment segment() {
            if (pages == null || pages.length != 2) {
                throw new IllegalArgumentException("a segment's 'pages' must be [first, last]");
            }
            return new Segment(pages[0], pages[1], label, confidence);
        }
    }

    /** One line of JSON, without the line break; an embedding is left out (results files stay small). */
    public static String toJson(DocumentRecord record) {
        return toJson(record, false);
    }

    /**
     * One line of JSON, without the line break, with the classifier's embedding vector as {@code embedding}
     * when {@code withEmbedding} and the record has one: for moving records between processes intact.
     */
    public static String toJson(DocumentRecord record, boolean withEmbedding) {
        String label = null;
        Double confidence = null;
        Map<String, Double> scores = null;
        List<SegmentLine> segments = null;
        String decidedBy = null;
        String rationale = null;
        float[] embedding = null;
        Failure failure = null;
        String duplicateOf = null;
        switch (record.outcome()) {
            case Outcome.Classified c -> {
                label = c.label();
                confidence = c.confidence();
                scores = c.scores();
                segments = c.segments() == null ? null : c.segments().stream().map(SegmentLine::of).toList();
                decidedBy = c.decidedBy();
                rationale = c.rationale();
                embedding = withEmbedding ? c.embedding() : null;
            }
            case Outcome.Failed f -> failure = new Failure(f.stage().code(), f.reason(), f.message());
            case Outcome.Duplicate d -> duplicateOf = d.of();
        }
        Line line = new Line(record.path(), record.sha256(), record.bytes(), record.mediaType(), record.pages(),
                record.ocrPages(), record.chars(), record.outcome().code(), label, confidence, scores, segments, decidedBy, rationale, record.classifier(), failure,
                duplicateOf, record.timingsMs(), record.parserWarnings(), embedding);
        try {
            return MAPPER.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record could not be written as JSON: " + record.path(), e);
        }
    }

    /**
     * Parses one line.
     *
     * @throws IllegalArgumentException when the line is not a record, naming what is wrong
     */
    public static DocumentRecord fromJson(String json) {
        Line line;
        try {
            line = MAPPER.readValue(json, Line.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON record: " + e.getOriginalMessage(), e);
        }
        if (line == null || line.path() == null || line.outcome() == null) {
            throw new IllegalArgumentException("a record needs 'path' and 'outcome'");
        }
        try {
            return toRecord(line);
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid '" + line.outcome() + "' record: " + e.getMessage(), e);
        }
    }

    private static DocumentRecord toRecord(Line line) {
        Outcome outcome = switch (line.outcome()) {
            case "classified" -> new Outcome.Classified(line.label(), line.confidence() == null ? 0 : line.confidence(),
                    line.scores() == null ? Map.of() : line.scores(), line.rationale(), line.decidedBy(), line.embedding(),
                    line.segments() == null ? null : line.segments().stream().map(SegmentLine::segment).toList());
            case "failed" -> {
                if (line.failure() == null) {
                    throw new IllegalArgumentException("a failed record needs 'failure'");
                }
                yield new Outcome.Failed(Stage.fromCode(line.failure().stage()), line.failure().reason(),
                        line.failure().message());
            }
            case "duplicate" -> new Outcome.Duplicate(line.duplicateOf() == null ? line.sha256() : line.duplicateOf());
            default -> throw new IllegalArgumentException("unknown outcome '" + line.outcome() + "'");
        };
        return new DocumentRecord(line.path(), line.sha256(), line.bytes(), line.mediaType(), line.pages(),
                line.chars(), outcome, line.classifier(), line.timingsMs(),
                line.parserWarnings() == null ? 0 : line.parserWarnings(), line.ocrPages() == null ? 0 : line.ocrPages());
    }

    /**
     * Streams the records of a JSON Lines file lazily; a half-written last line (a crash) is left out.
     * The caller closes the stream.
     */
    public static Stream<DocumentRecord> read(Path file) throws IOException {
        BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        boolean complete = endsWithNewline(file);
        Stream<String> lines = reader.lines().onClose(() -> {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        long total = complete ? Long.MAX_VALUE : countLines(file) - 1;
        return lines.limit(total).filter(line -> !line.isBlank()).map(RecordJson::fromJson);
    }

    static boolean endsWithNewline(Path file) throws IOException {
        try (var channel = Files.newByteChannel(file)) {
            long size = channel.size();
            if (size == 0) {
                return true;
            }
            channel.position(size - 1);
            var last = java.nio.ByteBuffer.allocate(1);
            channel.read(last);
            return last.get(0) == '\n';
        }
    }

    private static long countLines(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.count();
        }
    }
}
