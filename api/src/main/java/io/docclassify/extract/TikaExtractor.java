package io.docclassify.extract;

import io.docclassify.ConfigurationException;
import io.docclassify.ExtractionLimits;
import io.docclassify.FailureReason;
import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import io.docclassify.spi.Extractor;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaMemoryLimitException;
import org.apache.tika.exception.UnsupportedFormatException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.Office;
import org.apache.tika.metadata.PagedText;
import org.apache.tika.metadata.Property;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.apache.tika.sax.BodyContentHandler;

/**
 * Extracts text, media type and page count with Apache Tika's auto-detecting parser.
 *
 * <p>Thread-safe; build one and reuse it. The parse stops once {@link ExtractionLimits#textBudget()}
 * characters are out (unless full text is asked for): the first pages tell a document's type, and a
 * PDF's page count is known before its text, so the count stays exact. Tika's own OCR never runs:
 * with {@link ExtractionLimits#ocr()}, {@link #builtIn} layers OCR of the pages without text around
 * this extractor. Time budgets are not enforced here but by the caller (see {@link Extractor}).
 */
public final class TikaExtractor implements Extractor {

    private final AutoDetectParser parser = Defaults.parser();
    private final ExtractionLimits limits;

    /** Tika's default configuration (parsers, detectors, media types): loading it takes a good part of a second. */
    private static final class Defaults {
        static final TikaConfig CONFIG = TikaConfig.getDefaultConfig();

        static AutoDetectParser parser() {
            AutoDetectParser parser = new AutoDetectParser(CONFIG);
            parser.setDetector(new PdfFirstDetector(CONFIG.getDetector()));
            return parser;
        }
    }

    /** Tika alone, which never OCRs, whatever {@link ExtractionLimits#ocr()} says; see {@link #builtIn}. */
    public TikaExtractor(ExtractionLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * The built-in extractor for {@code limits}: Tika, with OCR of images and of the PDF pages that have
     * no usable text layer when {@link ExtractionLimits#ocr()} is on.
     *
     * @throws ConfigurationException when OCR is on but Tesseract or one of its languages is not installed
     */
    public static Extractor builtIn(ExtractionLimits limits) {
        TikaExtractor tika = new TikaExtractor(limits);
        return limits.ocr() ? new OcrExtractor(tika, limits, Tesseract.find(limits.ocrLanguages())) : tika;
    }

    /**
     * Starts loading Tika's parsers, detectors and media types (once per JVM; extractors share them) on
     * a daemon thread and returns at once: start-up is shorter when something else, such as the
     * embedding model, loads meanwhile. A failure there surfaces when an extractor is built.
     */
    public static void preloadInBackground() {
        Thread.ofPlatform().daemon().name("docclassify-preload-tika").start(() -> {
            try {
                Defaults.CONFIG.getParser();
            } catch (RuntimeException | LinkageError e) {
                // Thrown again, and reported, by the constructor of the first extractor.
            }
        });
    }

    @Override
    public String id() {
        return "tika";
    }

    @Override
    public ExtractedText extract(Path file, ExtractionProgress progress) throws ExtractionException {
        return parse(file, progress).text();
    }

    /** What a parse gave: the text, and the text of each page for formats that mark pages (PDF). */
    record Parsed(ExtractedText text, List<String> pageTexts) {}

    Parsed parse(Path file, ExtractionProgress progress) throws ExtractionException {
        Metadata metadata = new Metadata();
        TextCollector collector = new TextCollector(limits.charsKept(), !limits.fullText(), progress);
        ParserWarnings.reset();
        ParseContext context = context();
        // AutoDetectParser sets itself as the parser of embedded documents only when it sets up the
        // embedded-document extractor too; with our own extractor, we must set the parser.
        context.set(Parser.class, parser);
        EmbeddedLimiter embedded = new EmbeddedLimiter(context);
        context.set(EmbeddedDocumentExtractor.class, embedded);
        try (TikaInputStream in = TikaInputStream.get(file, metadata)) {
            parser.parse(in, new BodyContentHandler(collector), metadata, context);
        } catch (Exception | LinkageError | StackOverflowError e) {
            if (!collector.budgetReached()) {
                throw failure(e, metadata, progress);
            }
        }
        if (embedded.exceeded() != null && !collector.budgetReached()) {
            throw new ExtractionException(FailureReason.TOO_LARGE, mediaType(metadata), "the document has "
                    + embedded.exceeded() + " (a nested archive or an attachment bomb); they were not parsed", null);
        }
        int warnings = ParserWarnings.current() + metadata.getValues(TikaCoreProperties.TIKA_META_EXCEPTION_WARNING).length;
        ExtractedText text = new ExtractedText(collector.text(), metadata.get(TikaCoreProperties.TITLE),
                mediaType(metadata), pages(metadata), collector.totalChars(), !collector.budgetReached(), warnings);
        return new Parsed(text, collector.pageTexts());
    }

    private static ParseContext context() {
        ParseContext context = new ParseContext();
        // OCR is OcrExtractor's, page by page; Tika's would OCR every page of a document.
        TesseractOCRConfig ocr = new TesseractOCRConfig();
        ocr.setSkipOcr(true);
        context.set(TesseractOCRConfig.class, ocr);
        PDFParserConfig pdf = new PDFParserConfig();
        pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR);
        pdf.setExtractInlineImages(false);
        context.set(PDFParserConfig.class, pdf);
        return context;
    }

    private static ExtractionException failure(Throwable e, Metadata metadata, ExtractionProgress progress) {
        String mediaType = metadata.get(Metadata.CONTENT_TYPE) == null ? null : mediaType(metadata);
        FailureReason reason = reason(e, progress);
        String message = switch (reason) {
            case ENCRYPTED -> "the document is encrypted or password-protected";
            case EMPTY -> "the file has no bytes";
            case UNSUPPORTED_FORMAT -> "no parser supports this format: " + describe(e);
            case TOO_LARGE -> "unpacking went past a size, compression-ratio or entity-expansion limit: " + describe(e);
            case TIMEOUT -> "extraction was cancelled by its time budget";
            default -> describe(e);
        };
        return new ExtractionException(reason, mediaType, message, e);
    }

    private static FailureReason reason(Throwable e, ExtractionProgress progress) {
        if (progress.cancelled()) {
            return FailureReason.TIMEOUT;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EncryptedDocumentException) {
                return FailureReason.ENCRYPTED;
            }
            if (t instanceof ZeroByteFileException) {
                return FailureReason.EMPTY;
            }
            if (t instanceof UnsupportedFormatException) {
                return FailureReason.UNSUPPORTED_FORMAT;
            }
            if (t instanceof TikaMemoryLimitException || t.getClass().getName().endsWith("SecureSAXException")
                    || String.valueOf(t.getMessage()).contains("Zip bomb")
                    || String.valueOf(t.getMessage()).contains("entityExpansionLimit")) {
                return FailureReason.TOO_LARGE;
            }
            if (t instanceof OutOfMemoryError) {
                return FailureReason.OUT_OF_MEMORY;
            }
            if (t instanceof NoSuchFileException || t instanceof AccessDeniedException) {
                return FailureReason.IO_ERROR;
            }
        }
        return e instanceof Error || e instanceof RuntimeException ? FailureReason.CRASHED : FailureReason.PARSE_ERROR;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String first = e.getClass().getSimpleName() + ": " + e.getMessage();
        return root == e ? first : first + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    private static String mediaType(Metadata metadata) {
        String type = metadata.get(Metadata.CONTENT_TYPE);
        MediaType parsed = type == null ? null : MediaType.parse(type);
        return parsed == null ? MediaType.OCTET_STREAM.toString() : parsed.getBaseType().toString();
    }

    private static Integer pages(Metadata metadata) {
        for (Property property : new Property[] {PagedText.N_PAGES, Office.PAGE_COUNT, Office.SLIDE_COUNT}) {
            Integer value = metadata.getInt(property);
            if (value != null && value >= 0) {
                return value;
            }
        }
        return null;
    }
}
