package io.docclassify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one record every input document ends as: what it is, how it ended, and what it cost.
 *
 * <p>Nullable fields are {@code null} when the value is unknown (a file that could not be read has
 * no hash; plain text has no page count); they are never invented.
 *
 * @param path the path as the source gave it
 * @param sha256 lower-case hex SHA-256 of the content, or {@code null} if the file could not be read
 *     or was over the size limit
 * @param bytes the file's size, or {@code null} if unknown
 * @param mediaType the detected media type without parameters, or {@code null}
 * @param pages the page (or slide) count the format reports, or {@code null}
 * @param chars characters of text extracted, or {@code null} if extraction did not run
 * @param outcome how the document ended
 * @param classifier the id of the classifier that decided (or failed), or {@code null}
 * @param timingsMs milliseconds per stage, such as {@code read}, {@code hash}, {@code permitWait}, {@code extract},
 *     {@code ocr} (present when pages were OCRed; not part of {@code extract}), {@code classify}, {@code split}
 *     (with {@link ExtractionLimits#split()}: reading every page and labelling the parts)
 * @param parserWarnings warnings the parser raised on this document (counted, not logged)
 * @param ocrPages pages (or images) of this document whose text came from OCR, 0 when none
 */
public record DocumentRecord(
        String path,
        String sha256,
        Long bytes,
        String mediaType,
        Integer pages,
        Integer chars,
        Outcome outcome,
        String classifier,
        Map<String, Long> timingsMs,
        int parserWarnings,
        int ocrPages) {

    public DocumentRecord {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(outcome, "outcome");
        timingsMs = timingsMs == null
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(timingsMs));
        if (parserWarnings < 0) {
            throw new IllegalArgumentException("parserWarnings must be >= 0, got " + parserWarnings);
        }
        if (ocrPages < 0) {
            throw new IllegalArgumentException("ocrPages must be >= 0, got " + ocrPages);
        }
    }

    /** A record of a document none of whose pages were OCRed. */
    public DocumentRecord(String path, String sha256, Long bytes, String mediaType, Integer pages, Integer chars,
            Outcome outcome, String classifier, Map<String, Long> timingsMs, int parserWarnings) {
        this(path, sha256, bytes, mediaType, pages, chars, outcome, classifier, timingsMs, parserWarnings, 0);
    }

    /** The label, if the document was classified. */
    public String label() {
        return outcome instanceof Outcome.Classified c ? c.label() : null;
    }
}
