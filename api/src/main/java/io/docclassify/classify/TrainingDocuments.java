package io.docclassify.classify;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.docclassify.ConfigurationException;
import io.docclassify.ExtractionLimits;
import io.docclassify.extract.TikaExtractor;
import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The labelled documents of a labels CSV, extracted the way {@code classify} extracts them.
 *
 * <p>The CSV has a header with a {@code path} column and a label column; more columns are ignored;
 * paths are relative to the CSV's folder. Each document is extracted with {@link TikaExtractor}
 * under {@link ExtractionLimits#defaults()}, the same text budget a classifying run uses, so a
 * model learns from the text it will later see. A row that gives no text (missing, empty,
 * unreadable or unsupported file, no text) is left out and reported with its CSV line. A row with an
 * empty label is left out and counted: a review CSV (the least confident documents, for a person to
 * label) holds rows nobody labelled.
 *
 * @param examples the documents that gave text, in CSV order
 * @param skipped one message per labelled row left out, such as {@code labels.csv line 17: docs/a.pdf: no such file}
 * @param files the file of each example, in the order of {@code examples} (absolute, normalised)
 * @param unlabelled rows left out because their label is empty; they are not read
 */
public record TrainingDocuments(List<LinearClassifier.Example> examples, List<String> skipped, List<Path> files,
        int unlabelled) {

    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.TRIM_SPACES).build();

    public TrainingDocuments {
        examples = List.copyOf(examples);
        skipped = List.copyOf(skipped);
        files = List.copyOf(files);
        if (files.size() != examples.size()) {
            throw new IllegalArgumentException("one file per example: " + files.size() + " files, " + examples.size()
                    + " examples");
        }
        if (unlabelled < 0) {
            throw new IllegalArgumentException("unlabelled must be >= 0, got " + unlabelled);
        }
    }

    /** Documents of a CSV without rows of an empty label. */
    public TrainingDocuments(List<LinearClassifier.Example> examples, List<String> skipped, List<Path> files) {
        this(examples, skipped, files, 0);
    }

    /** One data row of a labels CSV. */
    record Row(int line, String path, String label) {}

    /**
     * Reads {@code csv} and extracts its documents on {@code threads} threads. A document whose
     * extraction runs past the default time budget (counted from when its result is awaited) is
     * skipped like any other failure.
     *
     * @throws ConfigurationException when the CSV is missing or lacks the {@code path} or label column
     */
    public static TrainingDocuments read(Path csv, String labelColumn, int threads) throws InterruptedException {
        if (threads < 1) {
            throw new ConfigurationException("workers must be >= 1, got " + threads);
        }
        List<Row> all = rows(csv, labelColumn);
        List<Row> rows = all.stream().filter(row -> row.label() != null).toList();
        ExtractionLimits limits = ExtractionLimits.defaults();
        TikaExtractor extractor = new TikaExtractor(limits);
        Path base = csv.toAbsolutePath().getParent();
        List<Path> files = new ArrayList<>();
        String name = csv.getFileName().toString();
        List<LinearClassifier.Example> examples = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<LinearClassifier.Example>> futures = new ArrayList<>();
            for (Row row : rows) {
                futures.add(pool.submit(() -> example(base.resolve(row.path()).normalize(), row.label(), extractor, limits)));
            }
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                String prefix = name + " line " + row.line() + ": " + row.path() + ": ";
                try {
                    examples.add(futures.get(i).get(limits.totalTimeout().toMillis(), TimeUnit.MILLISECONDS));
                    files.add(base.resolve(row.path()).normalize());
                } catch (ExecutionException e) {
                    skipped.add(prefix + e.getCause().getMessage());
                } catch (TimeoutException e) {
                    futures.get(i).cancel(true);
                    skipped.add(prefix + "extraction took longer than " + limits.totalTimeout().toSeconds() + " s");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new TrainingDocuments(examples, skipped, files, all.size() - rows.size());
    }

    static List<Row> rows(Path csv, String labelColumn) {
        Objects.requireNonNull(labelColumn, "labelColumn");
        if (!Files.isRegularFile(csv)) {
            throw new ConfigurationException("labels CSV " + csv + " does not exist or is not a file");
        }
        List<Row> rows = new ArrayList<>();
        try (MappingIterator<List<String>> it = CSV.readerForListOf(String.class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY)
                .with(CsvSchema.emptySchema())
                .readValues(csv.toFile())) {
            List<String> header = it.hasNextValue() ? it.nextValue() : List.of();
            int pathIndex = header.indexOf("path");
            int labelIndex = header.indexOf(labelColumn);
            if (pathIndex < 0 || labelIndex < 0) {
                throw new ConfigurationException("labels CSV " + csv + " needs a header with the columns 'path' and '"
                        + labelColumn + "'; its header is " + header
                        + (pathIndex >= 0 ? "; name the label column with TrainingDocuments.labelColumn" : ""));
            }
            while (it.hasNextValue()) {
                List<String> row = it.nextValue();
                int line = it.getParser().currentTokenLocation().getLineNr();
                if (row.size() <= pathIndex || row.get(pathIndex).isBlank()) {
                    continue;
                }
                String label = row.size() > labelIndex && !row.get(labelIndex).isBlank() ? row.get(labelIndex) : null;
                rows.add(new Row(line, row.get(pathIndex), label));
            }
        } catch (IOException e) {
            throw new ConfigurationException("labels CSV " + csv + " cannot be read: " + e.getMessage(), e);
        }
        return rows;
    }

    /** Extracts one document; throws with the reason it gives no text. */
    private static LinearClassifier.Example example(Path file, String label, TikaExtractor extractor,
            ExtractionLimits limits) throws IOException {
        long size;
        try {
            if (!Files.isRegularFile(file)) {
                throw new IOException(Files.exists(file) ? "not a regular file" : "no such file");
            }
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new IOException("no such file", e);
        }
        if (size == 0) {
            throw new IOException("the file has no bytes");
        }
        if (size > limits.maxBytes()) {
            throw new IOException("the file has " + size + " bytes, over the limit of " + limits.maxBytes());
        }
        String sha256 = sha256(file);
        ExtractedText text;
        try {
            text = extractor.extract(file, ExtractionProgress.NONE);
        } catch (ExtractionException e) {
            throw new IOException(e.reason() + ": " + e.getMessage(), e);
        }
        if (text.text().isBlank()) {
            throw new IOException("no text found (a scan or an image; training does not run OCR)");
        }
        return new LinearClassifier.Example(label, text.title(), text.text(), sha256);
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest = LinearClassifier.sha256();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
