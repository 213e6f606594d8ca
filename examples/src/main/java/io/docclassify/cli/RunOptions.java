package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import io.docclassify.DocumentClassifier;
import io.docclassify.ExtractionLimits;
import io.docclassify.Isolation;
import io.docclassify.classify.ClassifierSpec;
import io.docclassify.extract.TikaExtractor;
import io.docclassify.run.AlertThresholds;
import io.docclassify.hazelcast.HazelcastEngine;
import io.docclassify.sink.JdbcResultSink;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.DocumentSource;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Stack;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
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
            description = "Engine: local (thread pool), async (virtual threads, see --max-concurrent), hazelcast (cluster members, see --members). Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--members", paramLabel = "HOST:PORT", split = ",",
            description = "With --engine hazelcast: members to connect to (start them with 'doc-classify node').")
    List<String> members = new ArrayList<>();

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = HazelcastCli.DEFAULT_CLUSTER,
            description = "With --engine hazelcast: the cluster to join. Default: ${DEFAULT-VALUE}.")
    String clusterName;

    @Option(names = "--embedded",
            description = "With --engine hazelcast: join as a member that takes work too, instead of connecting as a client.")
    boolean embedded;

    @Option(names = "--ship-content", paramLabel = "SIZE", arity = "0..1", fallbackValue = "10MiB",
            description = "With --engine hazelcast: send the bytes of files up to SIZE (default 10MiB) with their chunk,"
                    + " for members that do not share the input storage.")
    String shipContent;

    @Option(names = {"-w", "--workers"}, paramLabel = "N",
            description = "Documents processed at once. Default: the number of cores.")
    Integer workers;

    @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "10",
            description = "Documents per chunk: what a cluster member takes at a time; the local engine"
                    + " reads at most 2 chunks per worker ahead. Default: ${DEFAULT-VALUE}.")
    int chunkSize;

    @Option(names = "--taxonomy", paramLabel = "FILE",
            description = "A YAML or JSON taxonomy of labels and keywords. Default: the built-in taxonomy.")
    Path taxonomy;

    @Option(names = "--classifier", paramLabel = "NAME",
            description = "Classifier: embedding, rules (keywords of the taxonomy), linear (needs --model), ollama, openai,"
                    + " cascade (embedding, then an LLM below --escalate-below). Default: embedding, or linear with --model.")
    String classifier;

    @Option(names = "--model", paramLabel = "FILE", description = "A model trained with 'doc-classify train'.")
    Path model;

    @Mixin
    LlmOptions llm = new LlmOptions();

    @Option(names = "--resume", paramLabel = "RUN_ID", arity = "0..1", fallbackValue = "",
            preprocessor = ResumeValue.class,
            description = "Keep the records already in the output (or the database) and skip the documents they cover."
                    + " With --db, a RUN_ID (shown by 'status') continues that run instead of starting a new one.")
    String resumeValue;

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

    @Option(names = "--ocr", description = "OCR images and the PDF pages without a text layer with Tesseract (must be"
            + " installed), page by page until the text budget is reached. Off by default.")
    boolean ocr;

    @Option(names = "--ocr-lang", paramLabel = "LANGS", defaultValue = ExtractionLimits.DEFAULT_OCR_LANGUAGES,
            description = "With --ocr: Tesseract's languages, joined by '+', such as eng+deu; each needs its language"
                    + " pack (Debian: tesseract-ocr-deu). Default: ${DEFAULT-VALUE}.")
    String ocrLanguages;

    @Option(names = "--split", description = "Split each PDF into the documents it holds (a scanned batch) and label"
            + " each: the record gains 'segments' ({pages: [first, last], label, confidence}); add --ocr for scans."
            + " Reads a bounded piece of every page, so it costs more per page.")
    boolean split;

    @Option(names = "--dedup", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Record content seen before (same SHA-256) as a duplicate instead of processing it again;"
                    + " --no-dedup processes every file. Default: on.")
    boolean dedup;

    @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "50",
            description = "With --engine async: documents in flight at once (waiting on a classifier or the sink);"
                    + " extraction and CPU-bound classifiers still run on at most one document per core."
                    + " Default: ${DEFAULT-VALUE}.")
    int maxConcurrent;

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

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100",
            description = "Records written to the output at a time. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--no-progress", description = "No progress bar; periodic log lines instead.")
    boolean noProgress;

    @Option(names = "--status-port", paramLabel = "PORT",
            description = "Serve a live status page (/), Prometheus metrics (/metrics) and the run as JSON (/api/run)"
                    + " on this port while the run goes; 0 picks a free port. Off by default.")
    Integer statusPort;

    @Option(names = "--status-bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the status server listens on; 0.0.0.0 for every interface (the page shows file"
                    + " paths). Default: ${DEFAULT-VALUE}.")
    String statusBind;

    @Option(names = "--alert-queue-depth", paramLabel = "N", defaultValue = "10000",
            description = "Alert when more documents than this wait for a worker. Default: ${DEFAULT-VALUE}.")
    long alertQueueDepth;

    @Option(names = "--alert-failure-rate", paramLabel = "PERCENT", defaultValue = "5",
            description = "Alert when more than this share of documents fail (judged after 20). Default: ${DEFAULT-VALUE}.")
    double alertFailureRate;

    @Option(names = "--alert-db-connections", paramLabel = "PERCENT", defaultValue = "80",
            description = "Alert when more than this share of the database pool is in use. Default: ${DEFAULT-VALUE}.")
    double alertDbConnections;

    @Option(names = "--alert-worker-memory", paramLabel = "SIZE", defaultValue = "4GB",
            description = "Alert when a worker process uses more heap than this (units as --max-file-size)."
                    + " Default: ${DEFAULT-VALUE}.")
    String alertWorkerMemory;

    @Option(names = {"-v", "--verbose"}, description = "More logging; repeat for debug output of the parsers too.")
    boolean[] verbose = new boolean[0];

    /** Whether {@code --resume} was given, with or without a run id. */
    boolean resume() {
        return resumeValue != null;
    }

    /** The run {@code --resume RUN_ID} continues, or {@code null}. */
    Long resumeRunId() {
        if (resumeValue == null || resumeValue.isEmpty()) {
            return null;
        }
        if (!RUN_ID.matcher(resumeValue).matches()) {
            throw new ConfigurationException("--resume takes a run id (a positive number, see 'doc-classify status')"
                    + " or nothing, got '" + resumeValue + "'");
        }
        if (db == null) {
            throw new ConfigurationException("--resume " + resumeValue + " continues a run in the results database and"
                    + " needs --db; a JSON Lines file is resumed with --resume alone");
        }
        return Long.parseLong(resumeValue);
    }

    /** The database sink's settings, with user and password from the environment when not given. */
    JdbcResultSink.Builder database(Map<String, String> environment) {
        JdbcResultSink.Builder builder = JdbcResultSink.builder(db).batchSize(batchSize)
                .outageLimit(Duration.ofSeconds(dbOutageLimit));
        if (resume()) {
            builder.resume(true); // left unset otherwise, so that the service may continue a run of its own
        }
        Long runId = resumeRunId();
        if (runId != null) {
            builder.continueRun(runId);
        }
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
        for (Path input : inputs) {
            readable(input, "input", Files.exists(input));
        }
        if (manifest != null) {
            readable(manifest, "manifest", Files.isRegularFile(manifest));
        }
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

    /** Refuses an input that is not there ({@code present} false) or cannot be read, before any work starts. */
    private static void readable(Path path, String what, boolean present) {
        if (!present) {
            throw new StartFailure(StartFailure.INPUT, what + " " + path + (what.equals("manifest")
                    ? " does not exist or is not a file" : " does not exist") + "; check the path", null);
        }
        if (!Files.isReadable(path)) {
            throw new StartFailure(StartFailure.INPUT, what + " " + path + " cannot be read (permission denied);"
                    + " give the user running doc-classify read access", null);
        }
    }

    ExtractionLimits limits() {
        if (timeoutSeconds < 1) {
            throw new ConfigurationException("--timeout must be >= 1 second, got " + timeoutSeconds);
        }
        if (noProgressSeconds < 1) {
            throw new ConfigurationException("--no-progress-timeout must be >= 1 second, got " + noProgressSeconds);
        }
        return new ExtractionLimits(parseSize(maxFileSize), textBudget, maxChars, fullText,
                Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(noProgressSeconds), ocr, ocrLanguages, split);
    }

    Isolation isolation() {
        return new Isolation(childHeap, recycleAfter);
    }

    DocumentClassifier.Builder builder() {
        resumeRunId(); // checked before any work starts
        if (resume() && overwrite) {
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
        DocumentClassifier.Builder builder = DocumentClassifier.builder()
                .chunkSize(chunkSize)
                .limits(limits())
                .maxConcurrent(maxConcurrent)
                .dedup(dedup);
        if (workers != null) {
            builder.workers(workers);
        }
        if (!"hazelcast".equals(engine) && (!members.isEmpty() || embedded || shipContent != null)) {
            throw new ConfigurationException("--members, --embedded and --ship-content are for --engine hazelcast");
        }
        if (isolate) {
            builder.isolate(isolation());
        }
        if (!isolate && !"hazelcast".equals(engine)) {
            TikaExtractor.preloadInBackground(); // while the classifier loads
        }
        if ("hazelcast".equals(engine)) {
            // Only members build the classifier: this process loads no model it does not run.
            builder.classifier(new HazelcastCli.OnMembers(classifierSpec()));
            hazelcast = HazelcastCli.engine(this);
            builder.engine(hazelcast);
        } else {
            builder.classifier(classifierSpec().create(System.getenv()));
            builder.engine(engine);
        }
        return builder;
    }

    /** The classifier {@code --classifier}, {@code --taxonomy}, {@code --model} and the LLM options describe. */
    ClassifierSpec classifierSpec() {
        ClassifierSpec spec = ClassifierChoice.spec(classifier, taxonomy, model, llm, System.getenv());
        return db != null ? spec.withVectors() : spec; // for the documents table's embedding column
    }

    private static final Pattern RUN_ID = Pattern.compile("[1-9][0-9]{0,17}");

    /**
     * Lets {@code --resume} take a run id without swallowing an input: the word after it is its value
     * only when it looks like a run id and names no existing file ({@code --resume 12 docs/}); otherwise
     * ({@code --resume docs/}) the option stands alone.
     */
    static final class ResumeValue implements IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec command, ArgSpec option, Map<String, Object> info) {
            boolean attached = "=".equals(info.get("separator"));
            if (!attached && (args.isEmpty() || !RUN_ID.matcher(args.peek()).matches()
                    || Files.exists(Path.of(args.peek())))) {
                args.push("");
            }
            return false;
        }
    }

    /** The alert thresholds, from percentages and sizes as the user writes them. */
    AlertThresholds alerts() {
        if (alertFailureRate < 0 || alertFailureRate > 100) {
            throw new ConfigurationException("--alert-failure-rate must be a percentage from 0 to 100, got " + alertFailureRate);
        }
        if (alertDbConnections <= 0 || alertDbConnections > 100) {
            throw new ConfigurationException("--alert-db-connections must be a percentage above 0 and up to 100, got "
                    + alertDbConnections);
        }
        if (alertQueueDepth < 0) {
            throw new ConfigurationException("--alert-queue-depth must be >= 0, got " + alertQueueDepth);
        }
        long memory = parseSize(alertWorkerMemory, "--alert-worker-memory");
        AlertThresholds defaults = AlertThresholds.defaults();
        return new AlertThresholds(alertQueueDepth, alertFailureRate / 100, defaults.minDocumentsForRate(),
                alertDbConnections / 100, memory);
    }

    /** Where the status server listens, or {@code null} without {@code --status-port}. */
    InetSocketAddress statusAddress() {
        if (statusPort == null) {
            return null;
        }
        if (statusPort < 0 || statusPort > 65535) {
            throw new ConfigurationException("--status-port must be from 0 to 65535 (0 picks a free port), got " + statusPort);
        }
        InetSocketAddress address = new InetSocketAddress(statusBind, statusPort);
        if (address.isUnresolved()) {
            throw new ConfigurationException("--status-bind '" + statusBind
                    + "' is not an address of this machine; use 127.0.0.1 (default) or 0.0.0.0");
        }
        return address;
    }

    /** The cluster engine of this run, if {@code --engine hazelcast}; set by {@link #builder()}. */
    HazelcastEngine hazelcast;

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]i?b|b)?");

    static long parseSize(String text) {
        return parseSize(text, "--max-file-size");
    }

    static long parseSize(String text, String option) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigurationException(option + " must be a number with an optional unit such as 100MiB or 5GB, got '"
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
