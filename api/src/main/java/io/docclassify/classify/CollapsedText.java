package io.docclassify.classify;

/** Text as the sentence model reads it: runs of white space and control characters as one space. */
final class CollapsedText {

    private CollapsedText() {}

    /** {@code text} collapsed, cut at {@code limit} characters. */
    static String of(String text, int limit) {
        return append(new StringBuilder(Math.min(limit, text.length())), text, limit).toString();
    }

    /**
     * Appends {@code text} to {@code sb} collapsed (no space at the very start of {@code sb}), until
     * {@code sb} holds {@code limit} characters.
     */
    static StringBuilder append(StringBuilder sb, String text, int limit) {
        boolean space = false;
        for (int i = 0; i < text.length() && sb.length() < limit; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                space = true;
            } else {
                if (space && !sb.isEmpty()) {
                    sb.append(' ');
                }
                space = false;
                sb.append(c);
            }
        }
        return sb;
    }
}
