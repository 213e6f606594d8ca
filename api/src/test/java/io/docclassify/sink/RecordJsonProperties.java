package io.docclassify.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.Segment;
import io.docclassify.Stage;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every record survives the JSON Lines format, whatever its outcome, text or missing values. */
class RecordJsonProperties {

    @Property
    void anyRecord_survivesToJsonAndBack(@ForAll("records") DocumentRecord record) {
        DocumentRecord back = RecordJson.fromJson(RecordJson.toJson(record, true));

        assertThat(back).as("round trip of %s", record).isEqualTo(record);
        DocumentRecord withoutEmbedding = record.outcome() instanceof Outcome.Classified c
                ? new DocumentRecord(record.path(), record.sha256(), record.bytes(), record.mediaType(), record.pages(),
                        record.chars(), c.withEmbedding(null), record.classifier(), record.timingsMs(),
                        record.parserWarnings(), record.ocrPages())
                : record;
        assertThat(RecordJson.fromJson(RecordJson.toJson(record))).as("a results-file line leaves the embedding out")
                .isEqualTo(withoutEmbedding);
        if (record.outcome() instanceof Outcome.Classified c) {
            assertThat(((Outcome.Classified) back.outcome()).scores().keySet())
                    .as("scores keep the classifier's ranking order").containsExactlyElementsOf(c.scores().keySet());
        }
    }

    @Property
    void toJson_isOneLine(@ForAll("records") DocumentRecord record) {
        String json = RecordJson.toJson(record);

        assertThat(json).as("a record must fit on one JSON Lines line").doesNotContain("\n").doesNotContain("\r");
    }

    @Provide
    Arbitrary<DocumentRecord> records() {
        Arbitrary<String> path = text().filter(s -> !s.isEmpty());
        Arbitrary<String> sha = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64).injectNull(0.2);
        Arbitrary<Long> bytes = Arbitraries.longs().greaterOrEqual(0).injectNull(0.2);
        Arbitrary<String> mediaType = Arbitraries.of("application/pdf", "text/plain", "message/rfc822").injectNull(0.3);
        Arbitrary<Integer> pages = Arbitraries.integers().between(0, 5_000).injectNull(0.3);
        Arbitrary<Integer> chars = Arbitraries.integers().greaterOrEqual(0).injectNull(0.3);
        Arbitrary<String> classifier = Arbitraries.of("rules", "llm:llama3.2:3b", "cascade").injectNull(0.3);
        Arbitrary<Map<String, Long>> timings = Arbitraries.maps(Arbitraries.of("hash", "extract", "classify"),
                Arbitraries.longs().between(0, 10_000_000)).injectNull(0.2);
        Arbitrary<Integer> warnings = Arbitraries.integers().between(0, 1_000);
        Arbitrary<Integer> ocrPages = Arbitraries.integers().between(0, 5_000);

        Arbitrary<DocumentRecord> head = Combinators.combine(path, sha, bytes, mediaType, pages, chars, outcomes())
                .as((p, s, b, m, pg, c, o) -> new DocumentRecord(p, s, b, m, pg, c, o, null, null, 0));
        return Combinators.combine(head, classifier, timings, warnings, ocrPages)
                .as((r, cl, t, w, o) -> new DocumentRecord(r.path(), r.sha256(), r.bytes(), r.mediaType(), r.pages(),
                        r.chars(), r.outcome(), cl, t, w, o));
    }

    private static Arbitrary<Outcome> outcomes() {
        Arbitrary<String> labels = Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(1)
                .ofMaxLength(20).filter(s -> !s.startsWith("_"));
        Arbitrary<Double> unit = Arbitraries.doubles().between(0.0, 1.0);
        Arbitrary<float[]> embeddings = Arbitraries.floats().between(-1, 1).array(float[].class).ofMaxSize(8)
                .injectNull(0.5);
        Arbitrary<Outcome> classified = Combinators.combine(labels, unit,
                        Arbitraries.maps(labels, unit).ofMaxSize(14), text().injectNull(0.6),
                        Arbitraries.of("embedding", "llm").injectNull(0.6), embeddings, segments(labels, unit))
                .as(Outcome.Classified::new);
        Arbitrary<Outcome> failed = Combinators.combine(Arbitraries.of(Stage.class),
                        Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(1).ofMaxLength(20)
                                .filter(s -> !s.startsWith("_")),
                        text().injectNull(0.2))
                .as(Outcome.Failed::new);
        Arbitrary<Outcome> duplicate = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64)
                .map(Outcome.Duplicate::new);
        return Arbitraries.oneOf(List.of(classified, failed, duplicate));
    }

    /** Segments covering pages 1..n in order (1-5 of 1-20 pages each), or {@code null} for a file not split. */
    private static Arbitrary<List<Segment>> segments(Arbitrary<String> labels, Arbitrary<Double> unit) {
        Arbitrary<Segment> shape = Combinators.combine(Arbitraries.integers().between(1, 20), labels, unit)
                .as((pages, label, confidence) -> new Segment(1, pages, label, confidence));
        return shape.list().ofMinSize(1).ofMaxSize(5).map(parts -> {
            List<Segment> covering = new java.util.ArrayList<>();
            int next = 1;
            for (Segment part : parts) {
                covering.add(new Segment(next, next + part.last() - 1, part.label(), part.confidence()));
                next += part.last();
            }
            return covering;
        }).injectNull(0.5);
    }

    /**
     * Text as real paths and messages hold it: ASCII, accents, CJK, emoji (surrogate pairs), quotes,
     * backslashes, and line breaks, tabs and other control characters that JSON must escape.
     */
    private static Arbitrary<String> text() {
        Arbitrary<String> pieces = Arbitraries.oneOf(List.of(
                Arbitraries.strings().ascii().ofMaxLength(8),
                Arbitraries.strings().withCharRange('\u00c0', '\u017f').ofMaxLength(4),
                Arbitraries.strings().withCharRange('\u4e00', '\u4fff').ofMaxLength(4),
                Arbitraries.of("\uD83D\uDCC4", "\uD83D\uDE00", "\uD834\uDD1E"),
                Arbitraries.of("\n", "\r\n", "\r", "\t", "\u0000", "\u001f", "\"", "\\", "/", "\u2028", "\u0085")));
        return pieces.list().ofMaxSize(12).map(list -> String.join("", list));
    }
}
