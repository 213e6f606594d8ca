package io.docclassify;

import io.docclassify.classify.Segmenter;
import io.docclassify.extract.PageTextReader;
import io.docclassify.spi.ClassificationException;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.DocumentProcessor;
import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import io.docclassify.spi.Extractor;
import io.docclassify.spi.PriorResults;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One document's way through: read, hash, dedup, extract, classify; every failure becomes a record.
 *
 * <p>Thread-safe; one instance serves one run (its dedup memory is the run's).
 */
final class Pipeline implements DocumentProcessor {

    private final Extractor extractor;
    private final Classifier classifier;
    private final ExtractionLimits limits;
    private final PriorResults prior;
    private final boolean dedup;
    private final StageGates gates;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final PageTextReader pageReader;
    private final Segmenter segmenter;

    /** @param extractor the whole extraction, time budgets included (the pipeline enforces none) */
    Pipeline(Extractor extractor, Classifier classifier, ExtractionLimits limits, PriorResults prior, boolean dedup,
            StageGates gates) {
        this.extractor = extractor;
        this.classifier = classifier;
        this.limits = limits;
        this.prior = prior;
        this.dedup = dedup;
        this.gates = gates;
        this.pageReader = limits.split() ? PageTextReader.of(limits) : null;
        this.segmenter = limits.split() ? Segmenter.builtIn() : null;
    }

    /** Per-stage stopwatch of one document. */
    private static final class Timings {
        private final Map<String, Long> millis = new LinkedHashMap<>();
        private long last = System.nanoTime();

        void lap(String stage) {
            long now = System.nanoTime();
            millis.put(stage, (now - last) / 1_000_000);
            last = now;
        }

        /** Ends a lap made of two parts: the last {@code secondNanos} of it go to {@code second}, the rest to {@code first}. */
        void splitLast(String first, String second, long secondNanos) {
            long now = System.nanoTime();
            millis.put(first, Math.max(0, now - last - secondNanos) / 1_000_000);
            millis.put(second, secondNanos / 1_000_000);
            last = now;
        }

        /** Ends a lap made of two parts: {@code firstNanos} of it go to {@code first}, the rest to {@code second}. */
        void split(String first, long firstNanos, String second) {
            long now = System.nanoTime();
            millis.put(first, firstNanos / 1_000_000);
            millis.put(second, Math.max(0, now - last - firstNanos) / 1_000_000);
            last = now;
        }
    }

    @Override
    public Optional<DocumentRecord> process(DocumentRef ref) throws InterruptedException {
        String path = ref.path().toString();
        Timings timings = new Timings();
        Path file = ref.path();
        BasicFileAttributes attributes;
        String sha256;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return unreadable(path, null, FailureReason.NOT_A_FILE, "not a regular file", timings);
            }
            if (ref.root() != null && !ref.followLinksOutOfRoot() && Files.isSymbolicLink(file)
                    && !file.toRealPath().startsWith(ref.root().toRealPath())) {
                return unreadable(path, null, FailureReason.OUTSIDE_ROOT,
                        "a link out of the input root " + ref.root() + "; allow it with DocumentSources.followLinks", timings);
            }
            if (attributes.size() > limits.maxBytes()) {
                // Not even hashed: reading a file this size is the cost the limit exists to avoid.
                return unreadable(path, attributes.size(), FailureReason.TOO_LARGE, "the file has " + attributes.size()
                        + " bytes, over the limit of " + limits.maxBytes() + " (ExtractionLimits.maxBytes)", timings);
            }
            long[] readNanos = new long[1];
            sha256 = sha256(file, readNanos);
            timings.split("read", readNanos[0], "hash");
        } catch (NoSuchFileException e) {
            return unreadable(path, null, FailureReason.NOT_FOUND, "no such file", timings);
        } catch (IOException e) {
            return unreadable(path, null, FailureReason.IO_ERROR, e.toString(), timings);
        }
        long bytes = attributes.size();
        if (prior.hasRecord(path, sha256)) {
            return Optional.empty();
        }
        if (bytes == 0) {
            return failed(path, sha256, bytes, null, Stage.READ, FailureReason.EMPTY, "the file has no bytes", timings);
        }
        if (dedup && (prior.hasContent(sha256) || !seen.add(sha256))) {
            return done(path, sha256, bytes, null, null, null, new Outcome.Duplicate(sha256), timings, 0);
        }
        return extractAndClassify(path, sha256, bytes, file, timings);
    }

    private Optional<DocumentRecord> extractAndClassify(String path, String sha256, long bytes, Path file,
            Timings timings) throws InterruptedException {
        try (StageGates.Permit permit = gates.enter(bytes)) {
            timings.lap("permitWait");
            ExtractedText text;
            try {
                text = extractor.extract(file, ExtractionProgress.NONE);
            } catch (ExtractionException e) {
                if (Thread.currentThread().isInterrupted()) {
                    // Stopped, not failed: the document gets no record, and a resumed run extracts it.
                    throw new InterruptedException("interrupted while extracting: " + e.getMessage());
                }
                timings.lap("extract");
                return done(path, sha256, bytes, e.mediaType(), null, null,
                        new Outcome.Failed(Stage.EXTRACT, e.reason(), e.getMessage()), timings, 0);
            } finally {
                permit.releaseMemory();
                if (!classifier.cpuBound()) {
                    permit.releaseCpu();
                }
            }
            if (text.ocrPages() > 0) {
                timings.splitLast("extract", "ocr", text.ocrMillis() * 1_000_000);
            } else {
                timings.lap("extract");
            }
            if (text.text().isBlank()) {
                return done(path, sha256, bytes, text.mediaType(), text.pages(), text.totalChars(),
                        new Outcome.Failed(Stage.EXTRACT, FailureReason.NO_TEXT.code(), limits.ocr()
                                ? "no text found, also by OCR"
                                : "no text found (a scan or an image needs OCR: ExtractionLimits.ocr)"),
                        timings, text.warnings(), text.ocrPages());
            }
            Outcome outcome;
            try {
                outcome = Objects.requireNonNull(classifier.classify(text), "the classifier returned null");
            } catch (ClassificationException e) {
                if (Thread.interrupted()) {
                    // A classifier waiting on a server was stopped: the document is not done, so it gets no record
                    // and a resumed run classifies it.
                    throw new InterruptedException("interrupted while classifying: " + e.getMessage());
                }
                outcome = new Outcome.Failed(Stage.CLASSIFY, e.reason(), e.getMessage());
            } catch (RuntimeException | StackOverflowError | LinkageError e) {
                outcome = new Outcome.Failed(Stage.CLASSIFY, FailureReason.CLASSIFIER_ERROR.code(), e.toString());
            }
            timings.lap("classify");
            int ocrPages = text.ocrPages();
            if (segmenter != null && outcome instanceof Outcome.Classified plain
                    && "application/pdf".equals(text.mediaType()) && text.pages() != null && text.pages() > 0) {
                Split split = split(file, text, plain);
                outcome = split.outcome();
                // The split OCRs every page the extraction did (the same test picks them) and the rest: a page counts once.
                ocrPages = Math.max(ocrPages, split.ocrPages());
                timings.lap("split");
            }
            return done(path, sha256, bytes, text.mediaType(), text.pages(), text.totalChars(), outcome, timings,
                    text.warnings(), ocrPages);
        }
    }

    /** A split's outcome and the pages it read by OCR. */
    private record Split(Outcome outcome, int ocrPages) {}

    /** The plain result with the documents the PDF holds, or the failure that stopped reading its pages. */
    private Split split(Path file, ExtractedText text, Outcome.Classified plain) throws InterruptedException {
        try {
            PageTextReader.Pages pages = pageReader.read(file);
            return new Split(plain.withSegments(segmenter.segments(pages.pages(), text.pages(), text, plain, classifier,
                    limits.charsKept())), pages.ocrPages());
        } catch (ExtractionException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted while splitting: " + e.getMessage());
            }
            return new Split(new Outcome.Failed(Stage.EXTRACT, e.reason(), e.getMessage()), 0);
        } catch (ClassificationException e) {
            return new Split(new Outcome.Failed(Stage.CLASSIFY, e.reason(), "classifying a part of the file: "
                    + e.getMessage()), 0);
        } catch (RuntimeException e) {
            return new Split(new Outcome.Failed(Stage.CLASSIFY, FailureReason.CLASSIFIER_ERROR.code(),
                    "splitting the file: " + e), 0);
        }
    }

    @Override
    public Optional<DocumentRecord> admit(DocumentRecord computed) {
        String sha256 = computed.sha256();
        if (computed.outcome() instanceof Outcome.Duplicate) {
            return Optional.of(computed);
        }
        if (prior.hasRecord(computed.path(), sha256)) {
            return Optional.empty();
        }
        boolean hashed = sha256 != null && computed.bytes() != null && computed.bytes() > 0;
        if (dedup && hashed && (prior.hasContent(sha256) || !seen.add(sha256))) {
            Map<String, Long> hashOnly = new LinkedHashMap<>();
            Long hashMillis = computed.timingsMs().get("hash");
            if (hashMillis != null) {
                hashOnly.put("hash", hashMillis);
            }
            return Optional.of(new DocumentRecord(computed.path(), sha256, computed.bytes(), null, null, null,
                    new Outcome.Duplicate(sha256), null, hashOnly, 0));
        }
        return Optional.of(computed);
    }

    /** A record for a document that was not hashed, unless a resumed run already holds one. */
    private Optional<DocumentRecord> unreadable(String path, Long bytes, FailureReason reason, String message,
            Timings timings) {
        if (prior.hasRecord(path, null)) {
            return Optional.empty();
        }
        timings.lap("hash");
        return failed(path, null, bytes, null, Stage.READ, reason, message, timings);
    }

    private Optional<DocumentRecord> failed(String path, String sha256, Long bytes, String mediaType, Stage stage,
            FailureReason reason, String message, Timings timings) {
        return done(path, sha256, bytes, mediaType, null, null, new Outcome.Failed(stage, reason.code(), message),
                timings, 0);
    }

    private Optional<DocumentRecord> done(String path, String sha256, Long bytes, String mediaType, Integer pages,
            Integer chars, Outcome outcome, Timings timings, int warnings) {
        return done(path, sha256, bytes, mediaType, pages, chars, outcome, timings, warnings, 0);
    }

    private Optional<DocumentRecord> done(String path, String sha256, Long bytes, String mediaType, Integer pages,
            Integer chars, Outcome outcome, Timings timings, int warnings, int ocrPages) {
        boolean decided = outcome instanceof Outcome.Classified
                || outcome instanceof Outcome.Failed f && f.stage() == Stage.CLASSIFY;
        String classifierId = decided ? classifier.id() : null;
        return Optional.of(new DocumentRecord(path, sha256, bytes, mediaType, pages, chars, outcome, classifierId,
                timings.millis, warnings, ocrPages));
    }

    /** The file's SHA-256; the time spent reading (rather than digesting) is added to {@code readNanos[0]}. */
    static String sha256(Path file, long[] readNanos) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] buffer = new byte[64 * 1024];
        long reading = System.nanoTime();
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                long read = System.nanoTime();
                readNanos[0] += read - reading;
                digest.update(buffer, 0, n);
                reading = System.nanoTime();
            }
        }
        readNanos[0] += System.nanoTime() - reading;
        return HexFormat.of().formatHex(digest.digest());
    }
}
