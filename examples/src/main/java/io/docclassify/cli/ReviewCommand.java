package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.sink.RecordJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code doc-classify review}: picks from a results file the documents a person should label first,
 * the least confident per predicted label, into a labels CSV that {@code train} and {@code eval} read.
 *
 * <p>Columns {@code path,predicted,confidence,label}; {@code label} is left empty for the person to
 * fill in, and rows still empty are skipped by {@code train} and {@code eval}. Paths are relative
 * to the CSV's folder, as in every labels CSV; the results' paths are read relative to the current
 * folder (where {@code classify} ran, which is how it recorded them).
 */
@Command(name = "review", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write the least confident classified documents of a results file, K per predicted label,"
                + " as a labels CSV (path, predicted, confidence, and an empty 'label' column to fill in).",
            "Then: doc-classify train --labels review.csv ... (rows left empty are skipped)."})
final class ReviewCommand implements Callable<Integer> {

    @Option(names = "--results", required = true, paramLabel = "FILE",
            description = "A JSON Lines results file written by classify (-o).")
    Path results;

    @Option(names = "--per-label", paramLabel = "K", defaultValue = "10",
            description = "Documents per predicted label, the least confident first. Default: ${DEFAULT-VALUE}.")
    int perLabel;

    @Option(names = {"-o", "--output"}, paramLabel = "CSV", defaultValue = "review.csv",
            description = "The CSV to write. Default: ${DEFAULT-VALUE}.")
    Path output;

    @Option(names = "--overwrite", description = "Replace an existing output (it may hold labels someone filled in).")
    boolean overwrite;

    @Spec
    CommandSpec spec;

    /** One classified document as the review CSV lists it. */
    record Candidate(Path file, String predicted, double confidence) {}

    @Override
    public Integer call() throws IOException {
        if (perLabel < 1) {
            throw new ConfigurationException("--per-label must be >= 1, got " + perLabel);
        }
        if (!Files.isRegularFile(results)) {
            throw new ConfigurationException("results file " + results + " does not exist or is not a file; write one with"
                    + " 'doc-classify classify INPUT -o " + results + "'");
        }
        if (Files.exists(output) && !overwrite) {
            throw new ConfigurationException(output + " exists (it may hold labels someone filled in); pass --overwrite to"
                    + " replace it or -o another file");
        }
        Map<String, List<Candidate>> byLabel = new TreeMap<>();
        int[] others = new int[1];
        Path here = Path.of("").toAbsolutePath();
        try (Stream<DocumentRecord> records = RecordJson.read(results)) {
            records.forEach(record -> {
                if (record.outcome() instanceof Outcome.Classified c) {
                    byLabel.computeIfAbsent(c.label(), l -> new ArrayList<>())
                            .add(new Candidate(here.resolve(record.path()).normalize(), c.label(), c.confidence()));
                } else {
                    others[0]++;
                }
            });
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new ConfigurationException("results file " + results + " is not a doc-classify results file: "
                    + e.getMessage(), e);
        }
        if (byLabel.isEmpty()) {
            throw new ConfigurationException("results file " + results + " holds no classified document (" + others[0]
                    + " failed or duplicate records); nothing to review");
        }
        List<Candidate> picked = new ArrayList<>();
        byLabel.values().forEach(list -> list.stream()
                .sorted(Comparator.comparingDouble(Candidate::confidence).thenComparing(Candidate::file))
                .limit(perLabel).forEach(picked::add));
        write(picked);
        PrintWriter console = spec.commandLine().getOut();
        console.printf(Locale.ROOT, "%-20s %9s %9s %s%n", "predicted", "documents", "in review", "confidence of those");
        byLabel.forEach((label, list) -> {
            List<Candidate> mine = picked.stream().filter(c -> c.predicted().equals(label)).toList();
            console.printf(Locale.ROOT, "%-20s %,9d %9d %.4f-%.4f%n", label, list.size(), mine.size(),
                    mine.getFirst().confidence(), mine.getLast().confidence());
        });
        long missing = picked.stream().filter(c -> !Files.isRegularFile(c.file())).count();
        if (missing > 0) {
            console.printf(Locale.ROOT, "warning  %,d of the documents are not found from this folder; run review where"
                    + " classify ran, as the results' paths are relative to it%n", missing);
        }
        console.printf(Locale.ROOT, "wrote %s: %,d documents (at most %d per predicted label, least confident first);"
                + " fill in the 'label' column, then: doc-classify train --labels %s --out model.bin%n", output,
                picked.size(), perLabel, output);
        console.flush();
        return 0;
    }

    /** Writes the CSV through a temporary file, paths relative to its folder. */
    private void write(List<Candidate> picked) throws IOException {
        Path folder = output.toAbsolutePath().normalize().getParent();
        Files.createDirectories(folder);
        Path temp = folder.resolve("." + output.getFileName() + ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                SplitCommand.line(out, List.of("path", "predicted", "confidence", "label"));
                for (Candidate c : picked) {
                    SplitCommand.line(out, List.of(folder.relativize(c.file()).toString(), c.predicted(),
                            String.format(Locale.ROOT, "%.4f", c.confidence()), ""));
                }
            }
            Files.move(temp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
