package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The threshold table of {@code eval --thresholds}. */
class CascadeReportTest {

    static final List<CascadeReport.Scored> DOCUMENTS = List.of(
            new CascadeReport.Scored("invoice", "invoice", 0.95, null),
            new CascadeReport.Scored("invoice", "receipt", 0.75, null),
            new CascadeReport.Scored("letter", "letter", 0.5, null),
            new CascadeReport.Scored("memo", "failed", -1, null));

    @Test
    void eachThreshold_countsTheDocumentsAtOrAboveIt_andTheirAccuracy() {
        List<CascadeReport.Row> rows = CascadeReport.rows(DOCUMENTS, List.of(0.5, 0.75, 0.9, 0.99));
        assertThat(rows).extracting(CascadeReport.Row::decided).containsExactly(3, 2, 1, 0);
        assertThat(rows).extracting(CascadeReport.Row::correct).containsExactly(2, 1, 1, 0);
        assertThat(rows.get(0).share()).isEqualTo(0.75);
        assertThat(rows.get(1).accuracy()).isEqualTo(0.5);
        assertThat(CascadeReport.table(rows)).contains("0.75", "2 ( 50.0 %)", "0.5000");
    }

    @Test
    void stagesOfACascadeRun_areCountedWithTheirAccuracy() {
        List<CascadeReport.Scored> run = List.of(new CascadeReport.Scored("a", "a", 0.95, "embedding"),
                new CascadeReport.Scored("a", "b", 0.4, "ollama"), new CascadeReport.Scored("b", "b", 0.3, "ollama"));
        var stages = CascadeReport.byStage(run);
        assertThat(stages.get("embedding")).containsExactly(1, 1);
        assertThat(stages.get("ollama")).containsExactly(2, 1);
        assertThat(CascadeReport.stageTable(stages, 3)).contains("ollama", "66.7 %", "0.5000");
    }
}
