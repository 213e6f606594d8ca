package io.docclassify;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The limits every document is extracted under; a document over a limit fails alone and the run goes on.
 *
 * <p>The defaults suit classification: the parse stops once {@link #textBudget()} characters are out
 * (the first pages say what a document is) while the page count stays exact.
 *
 * @param maxBytes files larger than this fail with {@code too_large} before parsing
 * @param textBudget characters after which the parse stops, unless {@code fullText}
 * @param maxChars with {@code fullText}, characters kept (the rest is counted, not kept)
 * @param fullText parse whole documents instead of stopping at {@code textBudget}
 * @param totalTimeout wall time one document may take to extract
 * @param noProgressTimeout wall time a parse may go without producing text
 * @param ocr run OCR (Tesseract) on images and on the pages of a PDF that have no usable text layer, until
 *     {@code textBudget} characters are out; never started otherwise
 * @param ocrLanguages Tesseract's languages, joined by {@code +} as Tesseract takes them: {@code eng},
 *     {@code eng+deu}; each needs its language pack (Debian: {@code tesseract-ocr-deu})
 * @param split also read the first characters of every page of a PDF (OCR included when {@code ocr}) and
 *     split it into the documents it holds, each with its label: a scanned batch holds many
 */
public record ExtractionLimits(
        long maxBytes,
        int textBudget,
        int maxChars,
        boolean fullText,
        Duration totalTimeout,
        Duration noProgressTimeout,
        boolean ocr,
        String ocrLanguages,
        boolean split) {

    /** 100 MiB. */
    public static final long DEFAULT_MAX_BYTES = 100L * 1024 * 1024;
    /**
     * Enough for the first page or two of a document. Chosen on the even half of the shared
     * document-type set: the default classifier scored the same at 3,000 as at 5,000 and 10,000
     * characters (and 0.3 points lower at 1,500), while extraction to 3,000 took about a fifth less time.
     */
    public static final int DEFAULT_TEXT_BUDGET = 3_000;
    public static final int DEFAULT_MAX_CHARS = 100_000;
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_NO_PROGRESS_TIMEOUT = Duration.ofSeconds(30);
    public static final String DEFAULT_OCR_LANGUAGES = "eng";

    private static final Pattern LANGUAGES = Pattern.compile("[a-z][a-z_]*(\\+[a-z][a-z_]*)*");

    public ExtractionLimits {
        Objects.requireNonNull(totalTimeout, "totalTimeout");
        Objects.requireNonNull(noProgressTimeout, "noProgressTimeout");
        if (maxBytes < 1) {
            throw new ConfigurationException("ExtractionLimits.maxBytes", maxBytes,
                    "ExtractionLimits.maxBytes must be >= 1, got " + maxBytes);
        }
        if (textBudget < 1) {
            throw new ConfigurationException("ExtractionLimits.textBudget", textBudget,
                    "ExtractionLimits.textBudget must be >= 1 character, got " + textBudget);
        }
        if (maxChars < textBudget) {
            throw new ConfigurationException("ExtractionLimits.maxChars", maxChars, "ExtractionLimits.maxChars ("
                    + maxChars + ") must be >= ExtractionLimits.textBudget (" + textBudget
                    + "); raise ExtractionLimits.maxChars or lower ExtractionLimits.textBudget");
        }
        if (totalTimeout.isNegative() || totalTimeout.isZero()) {
            throw new ConfigurationException("ExtractionLimits.totalTimeout", totalTimeout,
                    "ExtractionLimits.totalTimeout must be > 0, got " + totalTimeout);
        }
        if (noProgressTimeout.isNegative() || noProgressTimeout.isZero()) {
            throw new ConfigurationException("ExtractionLimits.noProgressTimeout", noProgressTimeout,
                    "ExtractionLimits.noProgressTimeout must be > 0, got " + noProgressTimeout);
        }
        if (ocrLanguages == null || !LANGUAGES.matcher(ocrLanguages).matches()) {
            throw new ConfigurationException("ocrLanguages must be Tesseract language codes joined by '+', such as eng"
                    + " or eng+deu, got '" + ocrLanguages + "'");
        }
    }

    /** Limits that do not split PDFs. */
    public ExtractionLimits(long maxBytes, int textBudget, int maxChars, boolean fullText, Duration totalTimeout,
            Duration noProgressTimeout, boolean ocr, String ocrLanguages) {
        this(maxBytes, textBudget, maxChars, fullText, totalTimeout, noProgressTimeout, ocr, ocrLanguages, false);
    }

    /** Limits with OCR in English, if any. */
    public ExtractionLimits(long maxBytes, int textBudget, int maxChars, boolean fullText, Duration totalTimeout,
            Duration noProgressTimeout, boolean ocr) {
        this(maxBytes, textBudget, maxChars, fullText, totalTimeout, noProgressTimeout, ocr, DEFAULT_OCR_LANGUAGES);
    }

    /** 100 MiB files, 3,000 characters, 60 s per document, 30 s without progress, no OCR. */
    public static ExtractionLimits defaults() {
        return new ExtractionLimits(DEFAULT_MAX_BYTES, DEFAULT_TEXT_BUDGET, DEFAULT_MAX_CHARS, false,
                DEFAULT_TOTAL_TIMEOUT, DEFAULT_NO_PROGRESS_TIMEOUT, false, DEFAULT_OCR_LANGUAGES, false);
    }

    public ExtractionLimits withMaxBytes(long value) {
        return new ExtractionLimits(value, textBudget, maxChars, fullText, totalTimeout, noProgressTimeout, ocr, ocrLanguages, split);
    }

    public ExtractionLimits withTextBudget(int value) {
        return new ExtractionLimits(maxBytes, value, maxChars, fullText, totalTimeout, noProgressTimeout, ocr, ocrLanguages, split);
    }

    public ExtractionLimits withMaxChars(int value) {
        return new ExtractionLimits(maxBytes, textBudget, value, fullText, totalTimeout, noProgressTimeout, ocr, ocrLanguages, split);
    }

    public ExtractionLimits withFullText(boolean value) {
        return new ExtractionLimits(maxBytes, textBudget, maxChars, value, totalTimeout, noProgressTimeout, ocr, ocrLanguages, split);
    }

    public ExtractionLimits withTimeouts(Duration total, Duration noProgress) {
        return new ExtractionLimits(maxBytes, textBudget, maxChars, fullText, total, noProgress, ocr, ocrLanguages, split);
    }

    public ExtractionLimits withOcr(boolean value) {
        return new ExtractionLimits(maxBytes, textBudget, maxChars, fullText, totalTimeout, noProgressTimeout, value,
                ocrLanguages, split);
    }

    public ExtractionLimits withOcrLanguages(String value) {
        return new ExtractionLimits(maxBytes, textBudget, maxChars, fullText, totalTimeout, noProgressTimeout, ocr, value, split);
    }

    public ExtractionLimits withSplit(boolean value) {
        return new ExtractionLimits(maxBytes, textBudget, maxChars, fullText, totalTimeout, noProgressTimeout, ocr,
                ocrLanguages, value);
    }

    /** Characters the extractor keeps: {@code maxChars} for full text, else {@code textBudget}. */
    public int charsKept() {
        return fullText ? maxChars : textBudget;
    }
}
