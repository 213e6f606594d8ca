package io.docclassify.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.docclassify.ConfigurationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code doc-classify split}: cuts a labels CSV into a training and a test CSV, stratified per label.
 *
 * <p>Every column is kept; each path is rewritten relative to the folder of the CSV it lands in, so
 * both outputs stay valid wherever they are written. Rows keep their order.
 */
@Command(name = "split", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Cut a labels CSV into train and test CSVs: the same share of each label, chosen by a seed."
                + " Paths are rewritten relative to each output CSV's folder.")
final class SplitCommand implements Callable<Integer> {

    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.TRIM_SPACES).build();

    @Option(names = "--labels", required = true, paramLabel = "CSV", description = "The labels CSV to cut.")
    Path labels;

    @Option(names = "--test", paramLabel = "SHARE", defaultValue = "0.5",
            description = "Share of each label that goes to the test CSV. Default: ${DEFAULT-VALUE}.")
    double test;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the cut. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--train-out", required = true, paramLabel = "CSV", description = "Where to write the training rows.")
    Path trainOut;

    @Option(names = "--test-out", required = true, paramLabel = "CSV", description = "Where to write the test rows.")
    Path testOut;

    @Option(names = "--label-column", paramLabel = "NAME", defaultValue = "label",
            description = "The CSV column holding the labels. Default: ${DEFAULT-VALUE}.")
    String labelColumn;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!(test > 0 && test < 1)) {
            throw new ConfigurationException("--test must be a share between 0 and 1, such as 0.5; got " + test);
        }
        if (trainOut.toAbsolutePath().normalize().equals(testOut.toAbsolutePath().normalize())) {
            throw new ConfigurationException("--train-out and --test-out name the same file " + trainOut
                    + "; give two different files");
        }
        if (!Files.isRegularFile(labels)) {
            throw new ConfigurationException("labels CSV " + labels + " does not exist or is not a file");
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> header;
        try (MappingIterator<List<String>> it = CSV.readerForListOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY)
                .with(CsvSchema.emptySchema()).readValues(labels.toFile())) {
            header = it.hasNextValue() ? it.nextValue() : List.of();
            while (it.hasNextValue()) {
                rows.add(it.nextValue());
            }
        }
        int pathIndex = header.indexOf("path");
        int labelIndex = header.indexOf(labelColumn);
        if (pathIndex < 0 || labelIndex < 0) {
            throw new ConfigurationException("labels CSV " + labels + " needs a header with the columns 'path' and '"
                    + labelColumn + "'; its header is " + header
                    + (pathIndex >= 0 ? "; name the label column with --label-column" : ""));
        }
        PrintWriter console = spec.commandLine().getOut();
        List<List<String>> labelled = new ArrayList<>();
        for (List<String> row : rows) {
            if (row.size() > Math.max(pathIndex, labelIndex) && !row.get(pathIndex).isBlank()
                    && !row.get(labelIndex).isBlank()) {
                labelled.add(row);
            }
        }
        if (labelled.size() < rows.size()) {
            console.printf(Locale.ROOT, "left out %,d rows without a path or a label%n", rows.size() - labelled.size());
        }
        boolean[] held = Stratified.holdOut(labelled.stream().map(r -> r.get(labelIndex)).toList(), test, seed);
        Path base = labels.toAbsolutePath().normalize().getParent();
        Map<String, int[]> counts = new TreeMap<>();
        List<List<String>> trainRows = new ArrayList<>();
        List<List<String>> testRows = new ArrayList<>();
        for (int i = 0; i < labelled.size(); i++) {
            List<String> row = labelled.get(i);
            counts.computeIfAbsent(row.get(labelIndex), l -> new int[2])[held[i] ? 1 : 0]++;
            (held[i] ? testRows : trainRows).add(row);
        }
        write(trainOut, header, trainRows, pathIndex, base);
        write(testOut, header, testRows, pathIndex, base);
        console.printf(Locale.ROOT, "%-20s %7s %7s%n", labelColumn, "train", "test");
        counts.forEach((label, n) -> console.printf(Locale.ROOT, "%-20s %7d %7d%n", label, n[0], n[1]));
        console.printf(Locale.ROOT, "wrote %s (%,d rows) and %s (%,d rows), seed %d%n", trainOut, trainRows.size(),
                testOut, testRows.size(), seed);
        console.flush();
        return 0;
    }

    private static void write(Path file, List<String> header, List<List<String>> rows, int pathIndex, Path base)
            throws IOException {
        Path folder = file.toAbsolutePath().normalize().getParent();
        Files.createDirectories(folder);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            line(out, header);
            for (List<String> row : rows) {
                List<String> copy = new ArrayList<>(row);
                Path document = base.resolve(row.get(pathIndex)).normalize();
                copy.set(pathIndex, folder.relativize(document).toString());
                line(out, copy);
            }
        }
    }

    /** Writes one CSV line, quoting the cells that need it. */
    static void line(Writer out, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            String cell = cells.get(i);
            boolean quote = cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")
                    || !cell.equals(cell.strip());
            out.write(quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell);
        }
        out.write('\n');
    }
}
