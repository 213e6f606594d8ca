package io.docclassify;

import java.util.List;
import java.util.Objects;

/**
 * One document inside a file that holds several (a scanned batch): its pages and its label.
 *
 * @param first the segment's first page, 1-based
 * @param last its last page, inclusive
 * @param label the segment's label, classified as a document of its own
 * @param confidence in [0, 1]: how sure the classifier is of {@code label}
 */
public record Segment(int first, int last, String label, double confidence) {

    public Segment {
        Objects.requireNonNull(label, "label");
        if (first < 1 || last < first) {
            throw new IllegalArgumentException("a segment's pages must be 1 <= first <= last, got " + first + "-" + last);
        }
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must be in [0, 1], got " + confidence);
        }
    }

    /**
     * Checks that {@code segments} cover pages 1 to {@code pages} in order, without gap or overlap.
     *
     * @throws IllegalArgumentException naming the first page that is wrong
     */
    public static List<Segment> covering(List<Segment> segments, int pages) {
        int next = 1;
        for (Segment segment : segments) {
            if (segment.first() != next) {
                throw new IllegalArgumentException("segments must cover every page in order: expected one starting at page "
                        + next + ", got " + segment.first() + "-" + segment.last());
            }
            next = segment.last() + 1;
        }
        if (next != pages + 1) {
            throw new IllegalArgumentException("segments cover pages 1-" + (next - 1) + " of " + pages);
        }
        return List.copyOf(segments);
    }
}
