package io.docclassify.classify;

import io.docclassify.extract.PageLayout;
import io.docclassify.extract.PageTextReader;
import io.docclassify.spi.ExtractedText;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/*
 * Design. The evidence that a page starts a document, read from the bounded text of the page, the one
 * before it and the first page of the document it would continue:
 *
 * - first-page cues on the page: a heading a document opens with (Invoice no., Dear, Abstract,
 *   Curriculum Vitae, This Agreement, Memorandum, Table of Contents...), "Page 1 of", a page number 1;
 * - continuation: page numbers that go on (n after n-1), a running header or footer shared with the page
 *   before, a sentence that runs across the break (the page opens in lower case after no full stop);
 * - similarity: of the page's words to those of the page before and to the current document's first page
 *   (a cheap stand-in for embeddings: a page costs microseconds, not a model call);
 * - how the page is set: the embedded font subsets the current document already has (their tags are made per
 *   source file; a producer that subsets page by page makes them say nothing, so there fonts count as unknown),
 *   the page size, and the text's margins, type size and top and bottom edges against the page before (from
 *   the glyphs of a text layer, or from a scan's ink): a document's last page often ends early, and
 *   a first page often begins lower, under a letterhead or a title block;
 * - a copy: a page that repeats the current document's first page starts a second copy of it.
 *
 * Blank pages are evidence too: a blank separator ends the document before it, so the page after a blank
 * one tends to start a document. Every feature is in [-1, 1] or a small log, so one logistic model weighs them.
 */
/** The features of a page boundary, for {@link BoundaryModel}. */
final class PageBoundaries {

    static final List<String> FEATURES = List.of("similarityToPrevious", "similarityToFirst", "firstPageCues",
            "firstPageCuesBefore", "pageOneMarker", "numberContinues", "numberRestarts", "laterPageMarker", "blank",
            "previousBlank", "runsOn", "sharedHeader", "sharedFooter", "lengthChange", "titleLine",
            "embeddingToPrevious", "embeddingToFirst", "fontsToPrevious", "fontsInDocument", "fontsKnown", "sizeChange",
            "repeatsFirstPage", "short", "previousShort", "tableOfContents",
            "typeChangeFromPrevious", "typeChangeFromFirst", "marginChange", "typeSizeChange", "layoutKnown",
            "topChange", "bottomChange");

    /** The font features, {@code fontsToPrevious} to {@code fontsKnown}: known for born-digital pages only. */
    static final int FONTS_FROM = 17;
    static final int FONTS_TO = 19;

    private static final Pattern WORD = Pattern.compile("[\\p{L}][\\p{L}\\p{N}'-]{3,}");
    private static final Set<String> STOP_WORDS = Set.of("that", "this", "with", "from", "have", "which",
            "there", "their", "they", "been", "were", "will", "would", "shall", "such", "other", "into", "more", "than",
            "also", "these", "those", "when", "what", "your", "page", "only", "each", "under", "upon", "about");
    // Openings any document type has, from the issue and general knowledge only: the held-out sources' own
    // headings (a resume generator's section names, "Exhibit", "Audit") are kept out, see docs/splitting.md.
    private static final Pattern FIRST_PAGE_CUE = Pattern.compile("(?im)^\\W{0,3}(?:invoice|tax invoice|receipt|"
            + "dear\\b|abstract\\b|curriculum vitae|r[eé]sum[eé]\\b|memorandum|"
            + "agreement\\b|this agreement|terms of (?:service|use)|statement of work|purchase order|"
            + "(?:to|from|subject|re|date)\\s*:|bill to|ship to|invoice (?:no|number|#|date)|"
            + "introduction\\s*$|chapter 1\\b|form\\s+\\w+|department of|user'?s? (?:guide|manual))");
    private static final Pattern PAGE_NUMBER = Pattern.compile(
            "(?i)^\\W*(?:page|p\\.|seite)?\\s*(\\d{1,4})\\s*(?:(?:of|/|von)\\s*(\\d{1,4}))?\\W*$");
    private static final Pattern PAGE_WORD = Pattern.compile("(?i)\\bpage\\s+(\\d{1,4})(?:\\s*(?:of|/)\\s*(\\d{1,4}))?\\b");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private PageBoundaries() {}

    /** A page's words and the lines it starts and ends with, computed once per page. */
    record Page(String text, Map<String, Integer> words, double norm, List<String> lines, int number, boolean blank,
            int cues, float[] vector, Set<String> fonts, float width, float height, boolean isShort, double[] types,
            PageLayout layout) {

        /**
         * @param vector the page text's unit-length embedding, or {@code null} for a blank page; the page's
         *     {@code types} are the built-in document types' probabilities for its text alone, and its
         *     {@code layout} is the reader's ({@code null} when blank)
         */
        static Page of(PageTextReader.Page page, float[] vector) {
            String text = page.text();
            Map<String, Integer> words = new HashMap<>();
            Matcher m = WORD.matcher(text);
            while (m.find()) {
                String word = m.group().toLowerCase(Locale.ROOT);
                if (!STOP_WORDS.contains(word)) {
                    words.merge(word, 1, Integer::sum);
                }
            }
            double norm = 0;
            for (int count : words.values()) {
                norm += (double) count * count;
            }
            List<String> lines = text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
            int visible = 0;
            for (int i = 0; i < text.length(); i++) {
                if (!Character.isWhitespace(text.charAt(i))) {
                    visible++;
                }
            }
            int cues = 0;
            Matcher cue = FIRST_PAGE_CUE.matcher(head(text, 400));
            while (cue.find()) {
                cues++;
            }
            return new Page(text, words, Math.sqrt(norm), lines, pageNumber(lines), visible < 20, cues,
                    visible < 20 ? null : vector, subsets(page.fonts()), page.width(), page.height(),
                    visible >= 20 && visible < 400, visible < 20 ? null : PageTypes.of(text),
                    visible < 20 ? null : page.layout());
        }

        String firstLine() {
            return lines.isEmpty() ? "" : lines.getFirst();
        }

        String lastLine() {
            return lines.isEmpty() ? "" : lines.getLast();
        }
    }

    /** Pages of the current document whose fonts {@code fontsInDocument} looks back on: enough for any running font. */
    private static final int FONT_LOOK_BACK = 30;

    /**
     * The features of the boundary before {@code pages.get(index)}, in the document that starts at
     * {@code pages.get(start)} ({@code start < index}).
     */
    static double[] features(List<Page> pages, int index, int start) {
        Page previous = pages.get(index - 1);
        Page page = pages.get(index);
        Page first = pages.get(start);
        double[] f = new double[FEATURES.size()];
        f[0] = cosine(previous, page);
        f[1] = cosine(first, page);
        f[2] = Math.log1p(page.cues());
        f[3] = Math.log1p(previous.cues());
        f[4] = page.number() == 1 ? 1 : 0;
        f[5] = page.number() > 1 && previous.number() > 0 && page.number() == previous.number() + 1 ? 1 : 0;
        f[6] = page.number() > 0 && previous.number() > 0 && page.number() <= previous.number() ? 1 : 0;
        f[7] = page.number() > 1 ? 1 : 0;
        f[8] = page.blank() ? 1 : 0;
        f[9] = previous.blank() ? 1 : 0;
        f[10] = runsOn(previous, page) ? 1 : 0;
        f[11] = !page.blank() && similarLines(previous.firstLine(), page.firstLine()) ? 1 : 0;
        f[12] = !page.blank() && similarLines(previous.lastLine(), page.lastLine()) ? 1 : 0;
        f[13] = Math.abs(Math.log((page.text().length() + 50.0) / (previous.text().length() + 50.0)));
        f[14] = titleLine(page.firstLine()) ? 1 : 0;
        f[15] = dot(previous.vector(), page.vector());
        f[16] = dot(first.vector(), page.vector());
        boolean fonts = !page.fonts().isEmpty() && !previous.fonts().isEmpty() && !subsetsPerPage(pages, index);
        f[17] = fonts ? jaccard(previous.fonts(), page.fonts()) : 0;
        f[18] = fonts ? fontsInDocument(pages, index, start) : 0;
        f[19] = fonts ? 1 : 0;
        f[20] = Math.abs(page.width() - previous.width()) > 2 || Math.abs(page.height() - previous.height()) > 2 ? 1 : 0;
        f[22] = page.isShort() ? 1 : 0;
        f[23] = previous.isShort() ? 1 : 0;
        f[24] = tableOfContents(page) ? 1 : 0;
        f[21] = repeats(first, page) ? 1 : 0;
        f[25] = typeChange(previous.types(), page.types());
        f[26] = typeChange(first.types(), page.types());
        if (previous.layout() != null && page.layout() != null) {
            PageLayout a = previous.layout();
            PageLayout b = page.layout();
            f[27] = Math.abs(a.left() - b.left()) + Math.abs(a.right() - b.right());
            f[28] = Math.abs(Math.log((b.lineHeight() + 1) / (a.lineHeight() + 1)));
            f[29] = 1;
            f[30] = b.top() - a.top();
            f[31] = b.bottom() - a.bottom();
        }
        return f;
    }

    /**
     * Whether the file's producer subsets its fonts page by page, so that their tags say nothing about where a
     * document starts: the tags are renewed, for fonts of the same names, at this boundary and at one beside it.
     */
    private static boolean subsetsPerPage(List<Page> pages, int index) {
        return renewsTags(pages, index) && (renewsTags(pages, index - 1) || renewsTags(pages, index + 1));
    }

    /** Whether the page before {@code index} has subset fonts of the same names as the page, none with its tags. */
    private static boolean renewsTags(List<Page> pages, int index) {
        if (index < 1 || index >= pages.size()) {
            return false;
        }
        Set<String> before = pages.get(index - 1).fonts();
        Set<String> fonts = pages.get(index).fonts();
        if (before.isEmpty() || fonts.isEmpty() || fonts.stream().anyMatch(before::contains)) {
            return false;
        }
        Set<String> names = new HashSet<>();
        before.forEach(font -> names.add(font.substring(7)));
        return fonts.stream().anyMatch(font -> names.contains(font.substring(7)));
    }

    /** How far two pages' document-type probabilities lie apart: 1 minus their overlap; 0 when a page is blank. */
    private static double typeChange(double[] a, double[] b) {
        if (a == null || b == null) {
            return 0;
        }
        double overlap = 0;
        for (int c = 0; c < a.length; c++) {
            overlap += Math.min(a[c], b[c]);
        }
        return 1 - overlap;
    }

    /** Each page's document type as the default classifier sees its text alone (keywords and layout cues, no encoder). */
    private static final class PageTypes {
        private static final EmbeddingClassifier CLASSIFIER = new EmbeddingClassifier(Taxonomy.builtIn());
        private static final List<String> CLASSES = DocumentTypeModel.builtIn().classes();

        static double[] of(String text) {
            Map<String, Double> scores = CLASSIFIER.classify(ExtractedText.ofText(text)).scores();
            double[] p = new double[CLASSES.size()];
            for (int c = 0; c < p.length; c++) {
                p[c] = scores.getOrDefault(CLASSES.get(c), 0.0);
            }
            return p;
        }
    }

    /** Distinct words from which a page close to the first page's words is a copy, not a running boilerplate. */
    private static final int COPY_WORDS = 40;

    /**
     * Whether {@code page} repeats its document's {@code first} page: the same text, or on a page of many words
     * nearly the same words (a copy read by OCR). A second copy of the document starts there (batches hold
     * duplicates); no later page of one document repeats its first page.
     */
    static boolean repeats(Page first, Page page) {
        if (page == first || page.blank() || page.words().size() < 3) {
            return false;
        }
        return page.words().size() >= COPY_WORDS ? cosine(first, page) >= 0.9
                : WHITESPACE.matcher(first.text().strip()).replaceAll(" ")
                        .equalsIgnoreCase(WHITESPACE.matcher(page.text().strip()).replaceAll(" "));
    }

    /** A table of contents: front matter after a cover page rather than a document of its own. */
    private static boolean tableOfContents(Page page) {
        int leaders = 0;
        for (String line : page.lines()) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.equals("contents") || lower.equals("table of contents")) {
                return true;
            }
            if (line.contains(". . . .") || line.contains("....")) {
                leaders++;
            }
        }
        return leaders >= 3;
    }

    /**
     * The fonts embedded as subsets ({@code ABCDEF+Name}): the tag is made per document, so a shared one means a
     * shared source document, while a common unembedded font (Helvetica) says nothing.
     */
    private static Set<String> subsets(Set<String> fonts) {
        Set<String> subsets = new java.util.TreeSet<>();
        for (String font : fonts) {
            if (isSubset(font)) {
                subsets.add(font);
            }
        }
        return subsets;
    }

    /** Whether a font's name is that of an embedded subset: a six-letter upper-case tag, {@code +}, the font's name. */
    static boolean isSubset(String font) {
        return font.length() > 7 && font.charAt(6) == '+' && font.substring(0, 6).chars().allMatch(c -> c >= 'A' && c <= 'Z');
    }

    private static double dot(float[] a, float[] b) {
        if (a == null || b == null) {
            return 0;
        }
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    /**
     * The share of a page's subset fonts that the current document's pages before it (the first and the last
     * {@value #FONT_LOOK_BACK}) also have: a document keeps its subset tags, a new one brings its own.
     */
    private static double fontsInDocument(List<Page> pages, int index, int start) {
        Set<String> seen = new HashSet<>(pages.get(start).fonts());
        for (int i = Math.max(start + 1, index - FONT_LOOK_BACK); i < index; i++) {
            seen.addAll(pages.get(i).fonts());
        }
        Set<String> fonts = pages.get(index).fonts();
        return fonts.stream().filter(seen::contains).count() / (double) fonts.size();
    }

    private static double jaccard(Set<String> a, Set<String> b) {
        int shared = 0;
        for (String x : a) {
            if (b.contains(x)) {
                shared++;
            }
        }
        return shared / (double) (a.size() + b.size() - shared);
    }

    private static String head(String text, int chars) {
        return text.length() <= chars ? text : text.substring(0, chars);
    }

    private static double cosine(Page a, Page b) {
        if (a.norm() == 0 || b.norm() == 0) {
            return 0;
        }
        Map<String, Integer> small = a.words().size() <= b.words().size() ? a.words() : b.words();
        Map<String, Integer> large = small == a.words() ? b.words() : a.words();
        double dot = 0;
        for (Map.Entry<String, Integer> e : small.entrySet()) {
            Integer other = large.get(e.getKey());
            if (other != null) {
                dot += (double) e.getValue() * other;
            }
        }
        return dot / (a.norm() * b.norm());
    }

    /** The page number in a page's first or last two lines, or "Page n" anywhere near them; -1 when none. */
    static int pageNumber(List<String> lines) {
        int n = lines.size();
        int[] order = {n - 1, 0, n - 2, 1};
        for (int at : order) {
            if (at < 0 || at >= n) {
                continue;
            }
            String line = lines.get(at);
            Matcher m = PAGE_NUMBER.matcher(line);
            if (line.length() <= 24 && m.matches()) {
                return Integer.parseInt(m.group(1));
            }
            Matcher word = PAGE_WORD.matcher(line);
            if (word.find()) {
                return Integer.parseInt(word.group(1));
            }
        }
        return -1;
    }

    /** Whether a sentence runs across the break: no full stop at the end, a lower-case word at the start. */
    private static boolean runsOn(Page previous, Page page) {
        String last = previous.lastLine();
        String first = page.firstLine();
        if (last.isEmpty() || first.isEmpty()) {
            return false;
        }
        char end = last.charAt(last.length() - 1);
        return Character.isLowerCase(first.charAt(0)) && ".!?:".indexOf(end) < 0;
    }

    private static boolean similarLines(String a, String b) {
        if (a.length() < 4 || b.length() < 4) {
            return false;
        }
        return a.replaceAll("\\d+", "#").equalsIgnoreCase(b.replaceAll("\\d+", "#"));
    }

    private static boolean titleLine(String line) {
        if (line.length() < 3 || line.length() > 60) {
            return false;
        }
        long letters = line.chars().filter(Character::isLetter).count();
        long upper = line.chars().filter(Character::isUpperCase).count();
        return letters >= 3 && (upper == letters || Character.isUpperCase(line.charAt(0)) && !line.endsWith("."));
    }
}
