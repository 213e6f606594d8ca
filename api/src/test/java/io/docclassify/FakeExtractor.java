package io.docclassify;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import io.docclassify.spi.Extractor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** An extractor that does what each test tells it, and counts its calls. Thread-safe. */
final class FakeExtractor implements Extractor {

    /** What the fake does with one file. */
    @FunctionalInterface
    interface Parse {
        ExtractedText apply(Path file, ExtractionProgress progress) throws Exception;
    }

    private final Parse parse;
    private final AtomicInteger calls = new AtomicInteger();

    FakeExtractor(Parse parse) {
        this.parse = parse;
    }

    /** Reads the file as plain text, reporting progress once. */
    static ExtractedText readText(Path file, ExtractionProgress progress) throws IOException {
        progress.advanced();
        return ExtractedText.ofText(Files.readString(file, UTF_8));
    }

    /** How many documents the pipeline handed to this extractor. */
    int calls() {
        return calls.get();
    }

    @Override
    public String id() {
        return "fake";
    }

    @Override
    public ExtractedText extract(Path file, ExtractionProgress progress) throws ExtractionException {
        calls.incrementAndGet();
        try {
            return parse.apply(file, progress);
        } catch (ExtractionException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ExtractionException(FailureReason.PARSE_ERROR, null, e.toString(), e);
        }
    }
}
