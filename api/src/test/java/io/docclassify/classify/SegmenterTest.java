package io.docclassify.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.Outcome;
import io.docclassify.Segment;
import io.docclassify.extract.PageTextReader;
import io.docclassify.spi.ExtractedText;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The built-in page-boundary model on streams of held-out sources, and what a segmenter promises. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SegmenterTest {

    @TempDir
    Path temp;

    @Test
    void heldOutBornDigitalStreams_haveMostBoundariesFound() throws Exception {
        PageTextReader reader = PageTextReader.of(io.docclassify.ExtractionLimits.defaults());
        List<PageBoundaryModelFit.Streamed> streams = new java.util.ArrayList<>();
        for (PageStreams.Stream stream : PageStreams.build(PageStreams.HELD_OUT, 12, 4242, false, temp)) {
            streams.add(new PageBoundaryModelFit.Streamed(stream, reader.read(stream.file()).pages()));
        }
        PageBoundaryModelFit.Score score = PageBoundaryModelFit.score(Segmenter.builtIn(), streams, null);
        // 100 such streams score F1 0.88 (docs/splitting.md); a model that guessed would be near 0.5.
        assertThat(score.f1()).as("boundary F1 on 12 held-out streams: %s", score).isGreaterThanOrEqualTo(0.75);
    }

    @Test
    void aFileOfOneDocument_isOneSegment_withThePlainLabel() {
        Outcome.Classified plain = new Outcome.Classified("invoice", 0.7, Map.of("invoice", 0.7));
        String text = "Invoice no. 4711\nTotal due: 120.00 EUR";
        PageTextReader.Page page = new PageTextReader.Page(text, Set.of(), 612, 792, null);
        List<Segment> segments = Segmenter.builtIn().segments(List.of(page), 3, ExtractedText.ofText(text), plain,
                new io.docclassify.spi.Classifier() {
                    @Override
                    public String id() {
                        return "never";
                    }

                    @Override
                    public Outcome.Classified classify(ExtractedText ignored) {
                        throw new AssertionError("a one-document file is not classified again");
                    }
                }, 3_000);
        assertThat(segments).containsExactly(new Segment(1, 3, "invoice", 0.7));
    }
}
