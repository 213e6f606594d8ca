package io.docclassify.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.classify.DocumentShape.Cue;
import io.docclassify.contract.Corpus;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A cue's {@code needs} only skip regexes that could not have matched: the cues score as their regexes alone. */
class DocumentShapeTest {

    @Test
    void needs_areLowerCase_becauseTheyAreLookedForInTheLowerCasedHead() {
        for (Map.Entry<String, List<Cue>> label : DocumentShape.CUES.entrySet()) {
            for (Cue cue : label.getValue()) {
                for (String need : cue.needs()) {
                    assertThat(need).as("a need of %s's %s", label.getKey(), cue.pattern()).isEqualTo(need.toLowerCase(Locale.ROOT));
                }
            }
        }
    }

    @Test
    void everyCue_scoresTheSameWithAndWithoutItsNeeds_onTheBroadCorpus() {
        List<String> heads = ExtractedCorpus.load(Corpus.file("document_types_broad/labels.csv"), "label").stream()
                .filter(d -> d.text() != null).map(d -> DocumentShape.head(d.extracted(3_000).text())).toList();
        assertThat(heads).hasSizeGreaterThan(900);
        int skipped = 0;
        for (Map.Entry<String, List<Cue>> label : DocumentShape.CUES.entrySet()) {
            for (Cue cue : label.getValue()) {
                Cue regexAlone = new Cue(cue.pattern(), cue.weight(), cue.counted());
                for (String head : heads) {
                    String lower = head.toLowerCase(Locale.ROOT);
                    double score = cue.score(head, lower);
                    assertThat(score).as("%s's %s", label.getKey(), cue.pattern()).isEqualTo(regexAlone.score(head, lower));
                    skipped += cue.needs().length > 0 && score == 0 ? 1 : 0;
                }
            }
        }
        assertThat(skipped).as("heads whose cue was decided by its needs").isPositive();
    }
}
