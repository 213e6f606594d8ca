package io.docclassify.spi;

import java.util.Objects;

/**
 * What an extractor got out of a document.
 *
 * @param text the text kept (at most the configured budget), never {@code null}
 * @param title the document's own title from its metadata, or {@code null}
 * @param mediaType the detected media type without parameters
 * @param pages the page or slide count the format reports, or {@code null} if it has none
 * @param totalChars characters extracted, which exceeds {@code text.length()} when text was cut
 * @param complete whether the whole document was read ({@code false} once the text budget stopped the parse)
 * @param warnings warnings the parser raised (counted, not logged)
 * @param ocrPages pages (or images) whose text came from OCR, 0 when none
 * @param ocrMillis milliseconds spent rendering and recognising those pages, part of the extraction's time
 */
public record ExtractedText(
        String text, String title, String mediaType, Integer pages, int totalChars, boolean complete, int warnings,
        int ocrPages, long ocrMillis) {

    public ExtractedText {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(mediaType, "mediaType");
        if (totalChars < text.length()) {
            throw new IllegalArgumentException(
                    "totalChars (" + totalChars + ") must be >= text length (" + text.length() + ")");
        }
        if (ocrPages < 0 || ocrMillis < 0) {
            throw new IllegalArgumentException("ocrPages and ocrMillis must be >= 0, got " + ocrPages + " and " + ocrMillis);
        }
    }

    /** Text that no OCR went into. */
    public ExtractedText(String text, String title, String mediaType, Integer pages, int totalChars, boolean complete,
            int warnings) {
        this(text, title, mediaType, pages, totalChars, complete, warnings, 0, 0);
    }

    /** Text for a quick test or a classifier's unit test: plain text, one page, nothing cut. */
    public static ExtractedText ofText(String text) {
        return new ExtractedText(text, null, "text/plain", null, text.length(), true, 0);
    }
}
