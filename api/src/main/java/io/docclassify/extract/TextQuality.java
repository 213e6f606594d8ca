package io.docclassify.extract;

/**
 * How much of a text is readable: its non-blank characters, and those of them that are garbage
 * (U+FFFD for an unmapped glyph or invalid bytes, control characters, private-use code points).
 *
 * @param visible characters that are not whitespace
 * @param garbage visible characters that are garbage
 */
record TextQuality(int visible, int garbage) {

    /** Below this, a page's text layer is taken as missing (a scan's page number, a stray header). */
    static final int MIN_PAGE_CHARACTERS = 40;
    /** Above this share of garbage, a text is not taken as text. */
    static final double MAX_GARBAGE_SHARE = 0.1;

    static TextQuality of(CharSequence text) {
        int visible = 0;
        int garbage = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            visible++;
            if (c == '\uFFFD' || Character.isISOControl(c) || (c >= '\uE000' && c <= '\uF8FF')) {
                garbage++;
            }
        }
        return new TextQuality(visible, garbage);
    }

    /** Whether the text is not mostly garbage (an empty text is readable). */
    boolean readable() {
        return garbage <= visible * MAX_GARBAGE_SHARE;
    }

    /** Whether a page with this text has a text layer worth keeping instead of OCR. */
    boolean usablePage() {
        return visible >= MIN_PAGE_CHARACTERS && readable();
    }
}
