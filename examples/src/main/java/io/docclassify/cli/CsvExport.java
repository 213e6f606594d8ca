package io.docclassify.cli;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.Segment;
import io.docclassify.sink.RecordJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/** Flattens a JSON Lines results file into CSV for spreadsheets: the seed system's {@code --export}. */
final class CsvExport {

    private static final CsvSchema SCHEMA = CsvSchema.builder()
            .addColumns(Arrays.asList("path", "sha256", "outcome", "label", "confidence", "mediaType", "pages", "chars",
                    "failureStage", "failureReason", "duplicateOf", "decidedBy", "rationale"), CsvSchema.ColumnType.STRING)
            .setUseHeader(true)
            .build();

    private static final CsvSchema SEGMENTS = CsvSchema.builder()
            .addColumns(Arrays.asList("path", "sha256", "segment", "firstPage", "lastPage", "label", "confidence"),
                    CsvSchema.ColumnType.STRING)
            .setUseHeader(true)
            .build();

    private CsvExport() {}

    /** Writes one row per segment of the split files among {@code records}; files not split have no rows. */
    static void writeSegments(Iterable<DocumentRecord> records, Path csv) throws IOException {
        try (SequenceWriter writer = new CsvMapper().writer(SEGMENTS).writeValues(csv.toFile())) {
            for (DocumentRecord r : records) {
                if (!(r.outcome() instanceof Outcome.Classified c) || c.segments() == null) {
                    continue;
                }
                for (int i = 0; i < c.segments().size(); i++) {
                    Segment segment = c.segments().get(i);
                    writer.write(Arrays.asList(r.path(), r.sha256(), i + 1, segment.first(), segment.last(),
                            segment.label(), segment.confidence()));
                }
            }
        }
    }

    static void write(Path results, Path csv) throws IOException {
        try (Stream<DocumentRecord> records = RecordJson.read(results)) {
            write(records::iterator, csv);
        }
    }

    /** Writes the records as they come, one row each. */
    static void write(Iterable<DocumentRecord> records, Path csv) throws IOException {
        try (SequenceWriter writer = new CsvMapper().writer(SCHEMA).writeValues(csv.toFile())) {
            for (DocumentRecord r : records) {
                Object[] row = new Object[13];
                row[0] = r.path();
                row[1] = r.sha256();
                row[2] = r.outcome().code();
                switch (r.outcome()) {
                    case Outcome.Classified c -> {
                        row[3] = c.label();
                        row[4] = c.confidence();
                        row[11] = c.decidedBy();
                        row[12] = c.rationale();
                    }
                    case Outcome.Failed f -> {
                        row[8] = f.stage().code();
                        row[9] = f.reason();
                    }
                    case Outcome.Duplicate d -> row[10] = d.of();
                }
                row[5] = r.mediaType();
                row[6] = r.pages();
                row[7] = r.chars();
                writer.write(Arrays.asList(row));
            }
        }
    }
}
