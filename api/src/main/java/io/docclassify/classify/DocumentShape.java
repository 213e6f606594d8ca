package io.docclassify.classify;

import io.docclassify.spi.ExtractedText;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Structural evidence for the built-in document types: how a document is laid out rather than which
 * words it uses (header lines, a salutation, headings, numbered fields, amounts, slide-sized pages).
 *
 * <p>Each cue is written from what such documents look like in general, not from any corpus; the
 * weights that combine the cues with the other evidence are fitted ({@link DocumentTypeModel}).
 * Stateless and thread-safe.
 */
final class DocumentShape {

    /** Characters of the text the cues look at: the top of a document shows its layout. */
    static final int HEAD_CHARS = 3_000;
    /** Lines of the head the line-anchored cues look at. */
    static final int HEAD_LINES = 60;

    /**
     * A cue: a pattern found in the head's lines (multiline), counted or only noticed, with a weight.
     * {@code needs} are lower-case strings of which the pattern cannot match without one: most heads
     * hold none, and {@code String.contains} is vectorised where a regex is tried at every position.
     */
    record Cue(Pattern pattern, double weight, boolean counted, String... needs) {
        double score(String head, String lowerHead) {
            if (needs.length > 0 && !containsAny(lowerHead, needs)) {
                return 0;
            }
            Matcher m = pattern.matcher(head);
            int hits = 0;
            while (m.find() && hits < 20) {
                hits++;
                if (!counted) {
                    break;
                }
            }
            return hits == 0 ? 0 : weight * (counted ? Math.log1p(hits) : 1);
        }

        private static boolean containsAny(String text, String[] needles) {
            for (String needle : needles) {
                if (text.contains(needle)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static Cue once(String regex, double weight, String... needs) {
        return new Cue(Pattern.compile(regex, Pattern.MULTILINE), weight, false, needs);
    }

    private static Cue counted(String regex, double weight, String... needs) {
        return new Cue(Pattern.compile(regex, Pattern.MULTILINE), weight, true, needs);
    }

    private static final String AMOUNT = "(?<![\\d.,])\\d{1,3}(?:[,.' ]?\\d{3})*[.,]\\d{2}(?![\\d])";
    /** Amounts count for invoices and receipts alike; one cue, so that a head's are counted once. */
    private static final Cue AMOUNTS = counted(AMOUNT, 0.4);

    static final Map<String, List<Cue>> CUES = Map.ofEntries(
            Map.entry("email", List.of(
                    counted("(?i)^\\s*(?:From|To|Cc|Bcc|Subject|Sent|Sent by|Reply-To|Message-ID)\\s*:", 1.5),
                    once("(?i)-{2,}\\s*(?:original|forwarded) message\\s*-{2,}", 2, "message"),
                    once("(?i)^.{0,80}\\bwrote:\\s*$", 1, "wrote:"),
                    once("(?<![\\w.+-])[\\w.+-]+@[\\w-]+\\.[\\w.]+", 0.5, "@"))),
            Map.entry("memo", List.of(
                    once("^\\s*(?:MEMORANDUM|MEMO)\\b", 3),
                    once("(?i)\\bmemorandum (?:for|to)\\b", 2, "memorandum "),
                    counted("^\\s*(?:TO|FROM|SUBJECT|SUBJ|RE|THRU|THROUGH|CC|DATE)\\s*:", 1.2))),
            Map.entry("letter", List.of(
                    once("(?m)^\\s*(?:Dear|DEAR)\\s+\\S", 3),
                    once("(?i)\\bto whom it may concern\\b", 3, "to whom it may concern"),
                    once("(?im)^\\s*(?:sincerely|yours (?:sincerely|faithfully|truly)|(?:kind|best|warm) regards|respectfully(?: yours)?|regards)\\s*,?\\s*$", 2))),
            Map.entry("scientific_paper", List.of(
                    once("(?im)^\\s*(?:\\d\\.?\\s*)?abstract\\b", 2.5),
                    once("(?im)^\\s*(?:\\d\\.?|I\\.)?\\s*introduction\\s*$", 1.5),
                    once("\\b10\\.\\d{4,9}/\\S+", 1.5, "10."),
                    counted("\\bet al\\.", 0.7, "et al."),
                    counted("\\[\\d{1,3}(?:[,–-]\\s*\\d{1,3})*\\]", 0.5, "["),
                    once("(?i)\\b(?:university|institute|department of|laboratory)\\b", 0.8,
                            "university", "institute", "department of", "laboratory"),
                    once("(?im)^\\s*(?:key ?words|index terms)\\b", 1.5))),
            Map.entry("manual", List.of(
                    once("(?im)^\\s*(?:table of )?contents\\s*$", 1.5),
                    counted("(?im)^\\s*chapter\\s+\\d+", 0.8),
                    counted("^\\s*\\d+(?:\\.\\d+)+\\s+[A-Z]", 0.4),
                    counted("(?m)^\\s*(?:\\$|>|#|%)\\s+\\S", 0.5),
                    counted("\\\\[a-zA-Z]{2,}(?:\\{|\\[)", 0.6, "\\"),
                    counted("(?i)\\b(?:usage|options?|command|package|install(?:ation)?|version \\d)\\b", 0.4,
                            "usage", "option", "command", "package", "install", "version "),
                    once("(?i)\\b(?:user'?s? (?:guide|manual)|reference manual|documentation|handbook|how to)\\b", 1.5,
                            "guide", "manual", "documentation", "handbook", "how to"),
                    once("(?i)\\bthis (?:package|document|manual|guide|program|tool|library|class|software)\\b", 1.5, "this "),
                    counted("(?m)^.*?(?:[{};]|\\(\\)|\\w=\\S)", 0.3, "{", "}", ";", "()", "="),
                    counted("(?i)\\b(?:package|macro|command|option|environment|argument|parameter|function|default)s?\\b", 0.3,
                            "package", "macro", "command", "option", "environment", "argument", "parameter", "function", "default"))),
            Map.entry("presentation", List.of(
                    counted("(?m)^\\s*[•▪◦‣●■–-]\\s+\\S.{0,70}$", 0.5),
                    once("(?im)^\\s*(?:agenda|outline|questions\\??|thank you!?|q\\s*&\\s*a)\\s*$", 1.5))),
            Map.entry("form", List.of(
                    once("(?i)\\bOMB (?:No|Number)\\b", 3, "omb "),
                    once("(?m)^\\s*Form\\s+[A-Z0-9][\\w-]*\\b", 2),
                    counted("_{4,}", 0.6, "____"),
                    counted("[☐□■☑☒]|\\[ \\]|\\( \\)", 0.6, "☐", "□", "■", "☑", "☒", "[ ]", "( )"),
                    counted("(?i)\\b(?:see instructions|check (?:one|here|if|the box)|if [\"“]?yes|enter (?:the|your))\\b", 0.7,
                            "see instructions", "check ", "yes", "enter "),
                    counted("(?im)^\\s*(?:part [ivx]+|line \\d+[a-z]?|\\d+[a-z]?\\s{1,3}(?:enter|total|name|address))\\b", 0.5))),
            Map.entry("invoice", List.of(
                    AMOUNTS,
                    counted("(?i)\\b(?:bill(?:ed)? to|ship to|due date|payment terms|iban|bic|swift|bank|account (?:no|number)|customer (?:no|number|id)|order (?:no|number))\\b", 0.6,
                            "bill", "ship to", "due date", "payment terms", "iban", "bic", "swift", "bank", "account ", "customer ", "order "),
                    once("(?i)\\b(?:invoice|rechnung|facture|factura)\\s*(?:no|nr|number|#|date|n°)", 2, "invoice", "rechnung", "factur"),
                    once("(?i)\\b(?:total|amount) due\\b|\\bnet \\d+ days\\b|\\bdue date\\b", 1.5, "due", "days"),
                    once("(?i)\\b(?:vat|tax|ust|mwst|tva)\\b.{0,40}" + AMOUNT, 1, "vat", "tax", "ust", "mwst", "tva"))),
            Map.entry("receipt", List.of(
                    AMOUNTS,
                    counted("(?i)\\b(?:cash|change|tender(?:ed)?|cashier|qty|gst|rounding|subtotal|total)\\b", 0.5,
                            "cash", "change", "tender", "qty", "gst", "rounding", "total"),
                    once("\\b\\d{1,2}:\\d{2}(?::\\d{2})?\\s*(?:AM|PM|am|pm)?\\b", 1, ":"),
                    once("(?i)\\b(?:thank you|thanks)\\b.{0,40}\\b(?:come again|shopping|purchase|visit)", 2, "thank"))),
            Map.entry("report", List.of(
                    once("(?im)^\\s*(?:\\d\\.?\\s*)?executive summary\\s*$", 2.5),
                    counted("(?im)^\\s*(?:\\d+(?:\\.\\d+)*\\.?\\s+)?(?:findings|recommendations|scope|methodology|background|conclusions?|summary of findings|overview)\\s*$", 0.8),
                    once("(?i)\\bprepared (?:for|by)\\b", 1.5, "prepared "),
                    once("(?i)\\b(?:this|the) (?:report|assessment|review|audit|evaluation)\\b", 1,
                            "report", "assessment", "review", "audit", "evaluation"))),
            Map.entry("resume", List.of(
                    counted("(?im)^\\s*(?:professional |work |career )?(?:experience|education|skills|summary|objective|employment(?: history)?|work history|qualifications|certifications|projects|languages|interests|references)\\s*:?\\s*$", 0.8),
                    counted("(?i)\\b(?:19|20)\\d{2}\\s*(?:-|–|to)\\s*(?:(?:19|20)\\d{2}|present|current|now|till date)\\b", 0.6,
                            "19", "20"),
                    once("(?i)\\b(?:skill details|technical skills|key skills|core competencies)\\b", 1.5,
                            "skill details", "technical skills", "key skills", "core competencies"))),
            Map.entry("news_article", List.of(
                    counted("(?i)\\b(?:said|says|told|according to)\\b", 0.7, "said", "says", "told", "according to"),
                    once("(?im)^\\s*by\\s+[A-Z][a-z]+(?:\\s+[A-Z][a-z.]+){1,3}\\s*$", 1),
                    once("(?i)\\b(?:published|updated|posted)\\b.{0,30}\\b(?:19|20)\\d{2}\\b", 1, "published", "updated", "posted"),
                    once("^[A-Z][A-Za-z .]{2,30}(?:,\\s*[A-Z][A-Za-z .]{2,20})?\\s*(?:\\([A-Za-z ]+\\))?\\s*[-—–]\\s", 1),
                    counted("[“\"][^”\"]{20,300}[”\"]", 0.4, "\"", "“"))),
            Map.entry("contract", List.of(
                    counted("(?i)\\bshall\\b", 0.5, "shall"),
                    counted("(?im)^\\s*(?:section|article|§)\\s*\\d+", 0.5),
                    once("(?i)\\b(?:this|the) (?:agreement|terms|contract)\\b", 1.5, "agreement", "terms", "contract"),
                    once("(?i)\\b(?:you|the parties|each party) (?:agree|acknowledge)s?\\b", 1.5, " agree", " acknowledge"))));

    private DocumentShape() {}

    /** The structural evidence for each label of {@code labels}, in that order (0 for labels without cues). */
    static double[] cues(ExtractedText text, List<String> labels) {
        return cues(text, head(text.text()), labels);
    }

    /** The same, for the text's {@link #head(String) head} computed once by the caller. */
    static double[] cues(ExtractedText text, String head, List<String> labels) {
        double[] scores = new double[labels.size()];
        String lowerHead = head.toLowerCase(Locale.ROOT);
        double amounts = AMOUNTS.score(head, lowerHead);
        for (int l = 0; l < scores.length; l++) {
            List<Cue> cues = CUES.get(labels.get(l));
            if (cues != null) {
                for (Cue cue : cues) {
                    scores[l] += cue == AMOUNTS ? amounts : cue.score(head, lowerHead);
                }
            }
        }
        boolean manyPages = text.pages() != null && text.pages() >= 5;
        add(scores, labels, "presentation", slideLike(text) + (manyPages ? shortLines(head) : 0));
        add(scores, labels, "email", isEmailType(text.mediaType()) ? 4 : 0);
        add(scores, labels, "receipt", text.complete() && text.totalChars() < 2_000 ? 1.5 : 0);
        return scores;
    }

    /**
     * Evidence that the text is no document of any type but source code or data: code media types,
     * and heads whose lines mostly read as code. 0 to 5.
     */
    static double unlikeAnyType(ExtractedText text) {
        return unlikeAnyType(text, head(text.text()));
    }

    /** The same, for the text's {@link #head(String) head} computed once by the caller. */
    static double unlikeAnyType(ExtractedText text, String head) {
        String type = text.mediaType();
        double score = type.startsWith("text/x-") && (type.endsWith("src") || type.endsWith("source") || type.contains("script"))
                || type.equals("application/javascript") || type.equals("application/json") ? 3 : 0;
        String[] lines = head.split("\n");
        if (lines.length >= 10) {
            int code = 0;
            for (String line : lines) {
                if (CODE_LINE.matcher(line).find()) {
                    code++;
                }
            }
            double share = code / (double) lines.length;
            score += share > 0.6 ? 2 : share > 0.4 ? 1 : 0;
        }
        return score;
    }

    private static final Pattern CODE_LINE = Pattern.compile(
            "[;{}]\\s*$|^\\s*(?:#include|#define|import |package |using |def |class |public |private |static |return\\b|//|/\\*|\\*)");

    private static boolean isEmailType(String mediaType) {
        return mediaType.equals("message/rfc822") || mediaType.equals("application/vnd.ms-outlook")
                || mediaType.equals("application/mbox");
    }

    /** Short lines and a line repeated on every page, as slides have (asked of documents of several pages): 0 to 3. */
    private static double shortLines(String head) {
        String[] lines = head.split("\n");
        if (lines.length < 15) {
            return 0;
        }
        int shortOnes = 0;
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        int repeated = 0;
        for (String line : lines) {
            if (line.length() < 40) {
                shortOnes++;
            }
            if (line.length() > 8 && seen.merge(line, 1, Integer::sum) == 3) {
                repeated++;
            }
        }
        double ratio = shortOnes / (double) lines.length;
        return (ratio > 0.75 ? 1.5 : ratio > 0.6 ? 0.75 : 0) + (repeated > 0 ? 1.5 : 0);
    }

    /** Labels the shape knows cues for. */
    static boolean knows(String label) {
        return CUES.containsKey(label);
    }

    /** Several pages with little text each, as slides have: 0 to 3. */
    private static double slideLike(ExtractedText text) {
        String type = text.mediaType().toLowerCase(Locale.ROOT);
        if (type.contains("presentation") || type.contains("powerpoint") || type.contains("keynote")) {
            return 3;
        }
        if (text.pages() == null || text.pages() < 4 || !text.complete()) {
            return 0;
        }
        double perPage = (double) text.totalChars() / text.pages();
        return perPage < 400 ? 2 : perPage < 800 ? 1 : 0;
    }

    private static void add(double[] scores, List<String> labels, String label, double value) {
        int at = labels.indexOf(label);
        if (at >= 0) {
            scores[at] += value;
        }
    }

    /** The first HEAD_LINES lines of the text, at most HEAD_CHARS characters, trailing spaces trimmed. */
    static String head(String text) {
        String head = text.length() > HEAD_CHARS ? text.substring(0, HEAD_CHARS) : text;
        StringBuilder sb = new StringBuilder(head.length());
        int lines = 0;
        for (String line : head.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            sb.append(trimmed).append('\n');
            if (++lines == HEAD_LINES) {
                break;
            }
        }
        return sb.toString();
    }
}
