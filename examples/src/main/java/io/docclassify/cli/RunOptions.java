package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import io.docclassify.DocumentClassifier;
import io.docclassify.ExtractionLimits;
import io.docclassify.Isolation;
import io.docclassify.sink.JdbcResultSink;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.DocumentSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every classifying command shares: inputs, engine, limits, taxonomy. */
final class RunOptions {

    @Parameters(paramLabel = "INPUT", arity = "0..*",
            description = "Files and directories to classify (directories are walked recursively).")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--manifest", paramLabel = "CSV",
            description = "A CSV with a header and a 'path' column (paths relative to the CSV) listing documents to classify.")
    Path manifest;

    @Option(names = "--engine", paramLabel = "NAME", defaultValue = "local",
            description = "Engine: local (thread pool). Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = {"-w", "--workers"}, paramLabel = "N",
            description = "Documents processed at once. Default: the number of cores.")
    Integer workers;

    @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "10",
            description = "Documents a worker takes at a time. Default: ${DEFAULT-VALUE}.")
    int chunkSize;

    @Option(names = "--taxonomy", paramLabel = "FILE",
            description = "A YAML or JSON taxonomy of labels and keywords. Default: the built-in taxonomy.")
    Path taxonomy;

    @Option(names = "--classifier", paramLabel = "NAME",
            description = "Classifier: rules (keywords of the taxonomy), embedding, linear (needs --model). Default: rules, or linear with --model.")
    String classifier;

    @Option(names = "--model", paramLabel = "FILE", description = "A model trained with 'doc-classify train'.")
    Path model;

    @Option(names = "--resume", description = "Keep the records already in the output (or the database) and skip the documents they cover.")
    boolean resume;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "Write results to PostgreSQL instead of a JSON Lines file, e.g. jdbc:postgresql://localhost:5432/docs."
                    + " Content the database already holds a result for is never classified again.")
    String db;

    @Option(names = "--db-outage-limit", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long the database may stay unreachable (writes retried with backoff, intake paused)"
                    + " before the run stops; continue it with --resume. Default: ${DEFAULT-VALUE}.")
    long dbOutageLimit;

    @Option(names = "--db-user", paramLabel = "USER", description = "Database user. Default: $PGUSER.")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD",
            description = "Database password. Default: $PGPASSWORD (better: it stays out of the process list).")
    String dbPassword;

    @Option(names = "--overwrite", description = "Replace an existing output file.")
    boolean overwrite;

    @Option(names = "--follow-links", description = "Follow symbolic links, also those leading out of an input directory.")
    boolean followLinks;

    @Option(names = "--full-text",
            description = "Parse whole documents instead of stopping once the text budget is full (slower).")
    boolean fullText;

    @Option(names = "--text-budget", paramLabel = "CHARS", defaultValue = "" + ExtractionLimits.DEFAULT_TEXT_BUDGET,
            description = "Characters after which extraction stops; the first pages tell a document's type. Default: ${DEFAULT-VALUE}.")
    int textBudget;

    @Option(names = "--max-chars", paramLabel = "CHARS", defaultValue = "" + ExtractionLimits.DEFAULT_MAX_CHARS,
            description = "With --full-text, characters kept per document. Default: ${DEFAULT-VALUE}.")
    int maxChars;

    @Option(names = "--max-file-size", paramLabel = "SIZE", defaultValue = "100MiB",
            description = "Larger files fail as too_large (units: B, KB, MB, GB, KiB, MiB, GiB). Default: ${DEFAULT-VALUE}.")
    String maxFileSize;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Time one document may take to extract. Default: ${DEFAULT-VALUE}.")
    long timeoutSeconds;

    @Option(names = "--no-progress-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Time a parse may run without producing text. Default: ${DEFAULT-VALUE}.")
    long noProgressSeconds;

    @Option(names = "--ocr", description = "OCR images and scanned pages with Tesseract (must be installed). Off by default.")
    boolean ocr;

    // Off by default: measured under load, isolation cost more than the 15% of throughput the issue allows
    // for a default (README, "Isolated extraction"); one word here turns it on.
    @Option(names = "--isolate", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "Extract in child JVMs (one per worker): a parser that hangs, runs out of memory or crashes"
                    + " fails only its document, and its child is replaced. --no-isolate extracts in this JVM."
                    + " Default: off.")
    boolean isolate;

    @Option(names = "--child-heap", paramLabel = "SIZE", defaultValue = Isolation.DEFAULT_CHILD_HEAP,
            description = "Heap (-Xmx) of each extraction child JVM. Default: ${DEFAULT-VALUE}.")
    String childHeap;

    @Option(names = "--recycle-after", paramLabel = "N", defaultValue = "" + Isolation.DEFAULT_RECYCLE_AFTER,
            description = "Documents an extraction child JVM extracts before a fresh one replaces it. Default: ${DEFAULT-VALUE}.")
    int recycleAfter;

    @Option(names = "--no-dedup", negatable = false,
            description = "Process every file, even when its content was seen before.")
    boolean noDedup;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100",
            description = "Records written to the output at a time. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--no-progress", description = "No progress bar; periodic log lines instead.")
    boolean noProgress;

    @Option(names = {"-v", "--verbose"}, description = "More logging; repeat for debug output of the parsers too.")
    boolean[] verbose = new boolean[0];

    /** The database sink's settings, with user and password from the environment when not given. */
    JdbcResultSink.Builder database(Map<String, String> environment) {
        JdbcResultSink.Builder builder = JdbcResultSink.builder(db).batchSize(batchSize).resume(resume)
                .outageLimit(Duration.ofSeconds(dbOutageLimit));
        String user = dbUser != null ? dbUser : environment.get("PGUSER");
        String password = dbPassword != null ? dbPassword : environment.get("PGPASSWORD");
        if (user != null) {
            builder.user(user);
        }
        if (password != null) {
            builder.password(password);
        }
        return builder;
    }

    DocumentSource source() {
        List<DocumentSource> sources = new ArrayList<>();
        if (!inputs.isEmpty()) {
            sources.add(DocumentSources.inputs(inputs, followLinks));
        }
        if (manifest != null) {
            sources.add(DocumentSources.manifest(manifest));
        }
        if (sources.isEmpty()) {
            throw new ConfigurationException("no input given; name files or directories, or pass --manifest CSV");
        }
        return DocumentSources.concat(sources);
    }

    ExtractionLimits limits() {
        if (timeoutSeconds < 1) {
            throw new ConfigurationException("--timeout must be >= 1 second, got " + timeoutSeconds);
        }
        if (noProgressSeconds < 1) {
            throw new ConfigurationException("--no-progress-timeout must be >= 1 second, got " + noProgressSeconds);
        }
        try {
            return new ExtractionLimits(parseSize(maxFileSize), textBudget, maxChars, fullText,
                    Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(noProgressSeconds), ocr);
        } catch (ConfigurationException e) {
            throw new ConfigurationException(e.getMessage()
                    .replace("maxBytes", "--max-file-size").replace("textBudget", "--text-budget")
                    .replace("maxChars", "--max-chars"), e);
        }
    }

    Isolation isolation() {
        try {
            return new Isolation(childHeap, recycleAfter);
        } catch (ConfigurationException e) {
            throw new ConfigurationException(e.getMessage().replace("childHeap", "--child-heap")
                    .replace("recycleAfter", "--recycle-after"), e);
        }
    }

    DocumentClassifier.Builder builder() {
        if (resume && overwrite) {
            throw new ConfigurationException("--resume and --overwrite contradict each other; pass one of them");
        }
        if (db != null && overwrite) {
            throw new ConfigurationException("--overwrite does not apply to --db: the database keeps every run's results;"
                    + " use a new database (or schema) for a fresh start");
        }
        if (db == null && (dbUser != null || dbPassword != null)) {
            throw new ConfigurationException("--db-user and --db-password need --db JDBC_URL");
        }
        if (dbOutageLimit < 1) {
            throw new ConfigurationException("--db-outage-limit must be >= 1 second, got " + dbOutageLimit);
        }
        if (batchSize < 1) {
            throw new ConfigurationException("--batch-size must be >= 1, got " + batchSize);
        }
        if (workers != null && workers < 1) {
            throw new ConfigurationException("--workers must be >= 1, got " + workers);
        }
        if (chunkSize < 1) {
            throw new ConfigurationException("--chunk-size must be >= 1, got " + chunkSize);
        }
        DocumentClassifier.Builder builder = DocumentClassifier.builder()
                .engine(engine)
                .chunkSize(chunkSize)
                .limits(limits())
                .dedup(!noDedup);
        if (workers != null) {
            builder.workers(workers);
        }
        if (isolate) {
            builder.isolate(isolation());
        }
        return builder.classifier(ClassifierChoice.create(classifier, taxonomy, model));
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]i?b|b)?");

    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigurationException("--max-file-size must be a number with an optional unit such as 100MiB or 5GB, got '"
                    + text + "'");
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long factor = switch (unit) {
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            default -> 1L;
        };
        return Math.multiplyExact(value, factor);
    }
}
