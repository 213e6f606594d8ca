package io.docclassify.cli;

import io.docclassify.DocumentClassifier;
import io.docclassify.RunHandle;
import io.docclassify.RunReport;
import io.docclassify.concurrent.NamedThreads;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.DocumentSource;
import io.docclassify.spi.ResultSink;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs of {@code doc-classify serve}: accepts them (up to a number waiting), runs up to a number at once, each
 * as a run of the {@link DocumentClassifier} of its variant with a {@link RunHandle} of its own, and keeps their
 * states in the {@link JobStore}.
 *
 * <p>On start, jobs an earlier process saved come back: a queued one waits to run again, a running one (the
 * process ended under it) becomes {@code stopped}, for a job with {@code "resume": true} to continue. On close,
 * running jobs are stopped (their documents in flight are recorded) and queued ones stay queued in the store.
 */
final class Jobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

    private final ClassifierVariants classifiers;
    private final JobStore store;
    private final Callbacks callbacks;
    private final int maxQueued;
    private final Clock clock;
    private final ExecutorService runners;
    private final ScheduledExecutorService saver;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private volatile boolean closing;

    Jobs(ClassifierVariants classifiers, JobStore store, Callbacks callbacks, int maxRunning, int maxQueued, Clock clock) {
        this.classifiers = classifiers;
        this.store = store;
        this.callbacks = callbacks;
        this.maxQueued = maxQueued;
        this.clock = clock;
        this.runners = Executors.newFixedThreadPool(maxRunning, NamedThreads.daemon("docclassify-job"));
        this.saver = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("docclassify-job-saver"));
        // Counts of running jobs reach the store now and then, so that a restart after a crash shows recent ones.
        saver.scheduleWithFixedDelay(this::saveRunning, 2, 2, TimeUnit.SECONDS);
    }

    /** Brings back the jobs an earlier process saved, as the class says. */
    void restore() throws IOException {
        for (Job job : store.load()) {
            if (job.state() == Job.State.RUNNING) {
                job.interrupted(clock.instant());
                store.save(job);
            }
            synchronized (this) {
                jobs.put(job.id(), job);
            }
            if (job.state() == Job.State.QUEUED) {
                runners.execute(() -> run(job));
            }
        }
    }

    /**
     * Accepts a job.
     *
     * @throws ServiceError 429 when {@code maxQueued} jobs wait already; 409 when {@code "resume"} finds no job
     *     to continue, or a job over the same documents is queued or running
     */
    Job submit(JobRequest request) throws IOException {
        Job job;
        synchronized (this) {
            long queued = jobs.values().stream().filter(j -> j.state() == Job.State.QUEUED).count();
            if (queued >= maxQueued) {
                throw new ServiceError(429, queued + " jobs are queued, as many as --max-queued-jobs allows;"
                        + " retry once some have started", 30);
            }
            job = Job.queued(request, clock.instant());
            if (request.resume()) {
                job.resumedFrom(toContinue(request).id());
            }
            jobs.put(job.id(), job);
        }
        store.save(job);
        runners.execute(() -> run(job));
        return job;
    }

    /** The newest stopped or failed job over the same documents, which a job with "resume" continues. */
    private Job toContinue(JobRequest request) {
        List<Job> same = jobs.values().stream().filter(j -> j.request().sameDocumentsAs(request)).toList();
        for (Job other : same) {
            if (!other.state().isFinal()) {
                throw new ServiceError(409, "job " + other.id() + " over the same inputs is " + other.state().code()
                        + "; stop it (DELETE /v1/jobs/" + other.id() + ") before resuming");
            }
        }
        return same.stream().filter(j -> j.state() == Job.State.STOPPED || j.state() == Job.State.FAILED)
                .max(Comparator.comparing(Job::createdAt))
                .orElseThrow(() -> new ServiceError(409, "\"resume\": true continues a stopped or failed job over the"
                        + " same inputs and manifest, and there is none; submit without \"resume\""));
    }

    synchronized List<Job> list() {
        return new ArrayList<>(jobs.values());
    }

    /** @throws ServiceError 404 for an unknown id */
    synchronized Job get(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            throw new ServiceError(404, "no job " + id + "; GET /v1/jobs lists them");
        }
        return job;
    }

    /** Stops a job: at once when queued, after its documents in flight when running; a final job stays as it is. */
    Job stop(String id) throws IOException {
        Job job = get(id);
        job.stop(clock.instant());
        if (job.state() == Job.State.STOPPED) {
            store.save(job);
        }
        return job;
    }

    /** The store, for a job's results. */
    JobStore store() {
        return store;
    }

    private void run(Job job) {
        if (closing) {
            return; // stays queued in the store, for the next process
        }
        RunHandle handle = new RunHandle();
        if (!job.start(handle, clock.instant())) {
            return; // stopped while it waited
        }
        save(job);
        String error = null;
        boolean stopped = false;
        try {
            DocumentClassifier classifier = classifiers.get(job.request().variant());
            Job previous = job.resumedFrom() == null ? null : get(job.resumedFrom());
            DocumentSource source = source(job.request());
            Runner.countInBackground(source, job::documents);
            try (ResultSink sink = store.open(job, previous, classifier)) {
                RunReport report = classifier.run(source, sink, handle);
                stopped = report.stopped();
            }
        } catch (InterruptedException e) {
            stopped = true;
            Thread.currentThread().interrupt();
        } catch (ServiceError e) {
            error = e.getMessage();
        } catch (Exception e) {
            error = StartFailure.of(e).getMessage();
            LOG.warn("job {} failed: {}", job.id(), error, e);
        }
        job.end(stopped, error, clock.instant());
        save(job);
        if (job.request().callback() != null) {
            callbacks.send(job.request().callback(), job.id(), job.toJson(clock.instant()).toString());
        }
    }

    private static DocumentSource source(JobRequest request) {
        List<DocumentSource> sources = new ArrayList<>();
        if (!request.inputs().isEmpty()) {
            // Never follow links: a link out of an input folder is recorded as failed (outside_root).
            sources.add(DocumentSources.inputs(request.inputs(), false));
        }
        if (request.manifest() != null) {
            sources.add(DocumentSources.manifest(request.manifest()));
        }
        return DocumentSources.concat(sources);
    }

    private void save(Job job) {
        try {
            store.save(job);
        } catch (IOException e) {
            LOG.warn("cannot save the state of job {}: {}", job.id(), e.getMessage());
        }
    }

    private void saveRunning() {
        list().stream().filter(job -> job.state() == Job.State.RUNNING).forEach(this::save);
    }

    @Override
    public void close() throws IOException {
        closing = true;
        saver.shutdownNow();
        list().stream().filter(job -> job.state() == Job.State.RUNNING).forEach(job -> job.stop(clock.instant()));
        runners.shutdown();
        try {
            if (!runners.awaitTermination(120, TimeUnit.SECONDS)) {
                LOG.warn("jobs still running after 120 s; they are left to end with the process");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        callbacks.close();
    }
}
