package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import io.docclassify.DocumentClassifier;
import io.docclassify.run.RunMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code doc-classify serve}: classifies uploads and runs jobs over HTTP until stopped (docs/service.md). */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve classification over HTTP: POST /v1/classify for one document, /v1/jobs for folders"
                + " under --root, a jobs page at /jobs. Every endpoint but /v1/health and /jobs needs a token of --tokens.",
                "The classify options (engine, classifier, --db, limits) configure what the jobs run with;"
                        + " inputs are given per job."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on; 0.0.0.0 for every interface. Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8090",
            description = "Port to listen on; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--tokens", paramLabel = "FILE", required = true,
            description = "Bearer tokens clients must send, one per line.")
    Path tokens;

    @Option(names = "--root", paramLabel = "DIR", required = true,
            description = "A folder jobs may read (repeat for more); paths outside every root are refused.")
    List<Path> roots = new ArrayList<>();

    @Option(names = "--callback-allow", paramLabel = "HOST[:PORT]", split = ",",
            description = "Hosts a job's callback may be posted to. Default: none.")
    List<String> callbackAllow = new ArrayList<>();

    @Option(names = "--max-sync", paramLabel = "N",
            description = "Uploads classified at once (POST /v1/classify); more get 429. Default: twice the cores.")
    Integer maxSync;

    @Option(names = "--max-running-jobs", paramLabel = "N", defaultValue = "2",
            description = "Jobs that run at once; the others wait. Default: ${DEFAULT-VALUE}.")
    int maxRunningJobs;

    @Option(names = "--max-queued-jobs", paramLabel = "N", defaultValue = "100",
            description = "Jobs that may wait to run; more get 429. Default: ${DEFAULT-VALUE}.")
    int maxQueuedJobs;

    @Option(names = "--jobs-dir", paramLabel = "DIR", defaultValue = "doc-classify-jobs",
            description = "Without --db: where each job's results file goes (<id>.jsonl). Default: ${DEFAULT-VALUE}.")
    Path jobsDir;

    @Mixin
    RunOptions options;

    @Spec
    CommandSpec spec;

    /** Classifier variants (classifier, text budget) a service holds at once: each holds its model in memory. */
    static final int MAX_VARIANTS = 4;

    @Override
    public Integer call() throws Exception {
        Logging.configure(options.verbose.length);
        Service service = start(null);
        Shutdown.serving(service);
        spec.commandLine().getErr().println("doc-classify: serving at " + service.url() + " (jobs page: "
                + service.url() + "/jobs); Ctrl-C stops");
        spec.commandLine().getErr().flush();
        Thread.currentThread().join(); // until a signal: the shutdown hook closes the service
        return 0;
    }

    /**
     * Builds and starts the service.
     *
     * @param classifiers how a variant's classifier is built; {@code null} builds it from the options (tests pass
     *     their own, to hold documents at a gate)
     */
    Service start(Function<ClassifierVariants.Variant, DocumentClassifier> classifiers) throws Exception {
        refuseRunOnlyOptions();
        if (maxRunningJobs < 1 || maxQueuedJobs < 0) {
            throw new ConfigurationException("--max-running-jobs must be >= 1 and --max-queued-jobs >= 0, got "
                    + maxRunningJobs + " and " + maxQueuedJobs);
        }
        int sync = maxSync != null ? maxSync : 2 * Runtime.getRuntime().availableProcessors();
        if (sync < 1) {
            throw new ConfigurationException("--max-sync must be >= 1, got " + sync);
        }
        if (port < 0 || port > 65535) {
            throw new ConfigurationException("--port must be from 0 to 65535 (0 picks a free port), got " + port);
        }
        InetSocketAddress address = new InetSocketAddress(bind, port);
        if (address.isUnresolved()) {
            throw new ConfigurationException("--bind '" + bind + "' is not an address of this machine; use 127.0.0.1"
                    + " (default) or 0.0.0.0");
        }
        Tokens accepted = Tokens.read(tokens);
        Roots confined = Roots.of(roots);
        long maxFileSize = options.limits().maxBytes();
        options.alerts(); // checked before any work starts, like the classify command does
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Runner.bindJvmMetrics(registry);
        RunMetrics metrics = RunMetrics.on(registry);
        Function<ClassifierVariants.Variant, DocumentClassifier> factory = classifiers != null ? classifiers
                : variant -> fromOptions(variant, metrics);
        ClassifierVariants variants = new ClassifierVariants(factory, MAX_VARIANTS);
        // The service's own classifier is built now: a configuration mistake stops it before it listens.
        variants.get(ClassifierVariants.Variant.DEFAULT);
        JobStore store = options.db != null ? new DatabaseJobStore(options, System.getenv(), metrics)
                : new FileJobStore(jobsDir, options.batchSize);
        Callbacks callbacks = new Callbacks(callbackAllow, 4, Duration.ofSeconds(1));
        Jobs jobs = new Jobs(variants, store, callbacks, maxRunningJobs, maxQueuedJobs, Clock.systemUTC());
        jobs.restore();
        return Service.start(new Service.Parts(accepted, confined, callbacks, variants, jobs, registry, maxFileSize, sync,
                Clock.systemUTC()), address);
    }

    /** The options of a one-off run that a service, whose inputs come with each job, does not take. */
    private void refuseRunOnlyOptions() {
        List<String> given = new ArrayList<>();
        if (!options.inputs.isEmpty()) {
            given.add("INPUT");
        }
        if (options.manifest != null) {
            given.add("--manifest");
        }
        if (options.resumeValue != null) {
            given.add("--resume");
        }
        if (options.overwrite) {
            given.add("--overwrite");
        }
        if (options.statusPort != null) {
            given.add("--status-port");
        }
        if (options.followLinks) {
            given.add("--follow-links");
        }
        if (!given.isEmpty()) {
            throw new ConfigurationException("serve takes no " + String.join(", ", given) + ": each job names its"
                    + " inputs (POST /v1/jobs), resumes with \"resume\": true, and never follows links out of a --root");
        }
    }

    /** A variant built from the command's options with the job's classifier and text budget. */
    private DocumentClassifier fromOptions(ClassifierVariants.Variant variant, RunMetrics metrics) {
        synchronized (options) {
            String classifier = options.classifier;
            int textBudget = options.textBudget;
            try {
                if (variant.classifier() != null) {
                    options.classifier = variant.classifier();
                }
                if (variant.textBudget() != null) {
                    options.textBudget = variant.textBudget();
                }
                return options.builder().metrics(metrics).build();
            } finally {
                options.classifier = classifier;
                options.textBudget = textBudget;
            }
        }
    }
}
