package io.docclassify.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docclassify.RunHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * One job of {@code doc-classify serve}: its request, its state and its progress. While it runs, the counts come
 * from its run's {@link RunHandle}; a job of an earlier service process (read back from the database) shows the
 * counts it had when last saved.
 *
 * <p>Thread-safe: the runner thread changes the state, request threads read it.
 */
final class Job {

    /** Where a job is in its life; {@code done}, {@code failed} and {@code stopped} are final. */
    enum State {
        QUEUED, RUNNING, DONE, FAILED, STOPPED;

        String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean isFinal() {
            return this == DONE || this == FAILED || this == STOPPED;
        }

        static State fromCode(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }

    /** Counts of a job's records; {@code skipped} are those an earlier job it continues had recorded. */
    record Counts(long classified, long failed, long duplicates, long skipped) {
        static final Counts NONE = new Counts(0, 0, 0, 0);

        long recorded() {
            return classified + failed + duplicates + skipped;
        }
    }

    private final String id;
    private final JobRequest request;
    private final Instant createdAt;
    private volatile State state;
    private volatile Instant startedAt;
    private volatile Instant endedAt;
    private volatile Long documents;
    private volatile RunHandle handle;
    private volatile Counts savedCounts;
    private volatile Long runId;
    private volatile String resumedFrom;
    private volatile String error;

    private Job(String id, JobRequest request, Instant createdAt, State state) {
        this.id = Objects.requireNonNull(id, "id");
        this.request = Objects.requireNonNull(request, "request");
        this.createdAt = createdAt;
        this.state = state;
        this.savedCounts = Counts.NONE;
    }

    static Job queued(JobRequest request, Instant now) {
        return new Job(UUID.randomUUID().toString(), request, now, State.QUEUED);
    }

    /** A job as the store saved it, with the state, times and counts it had then. */
    static Job restored(String id, JobRequest request, State state, Instant createdAt, Instant startedAt,
            Instant endedAt, Long documents, Counts counts, Long runId, String resumedFrom, String error) {
        Job job = new Job(id, request, createdAt, state);
        job.startedAt = startedAt;
        job.endedAt = endedAt;
        job.documents = documents;
        job.savedCounts = counts;
        job.runId = runId;
        job.resumedFrom = resumedFrom;
        job.error = error;
        return job;
    }

    String id() {
        return id;
    }

    JobRequest request() {
        return request;
    }

    State state() {
        return state;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant startedAt() {
        return startedAt;
    }

    Instant endedAt() {
        return endedAt;
    }

    Long documents() {
        return documents;
    }

    Long runId() {
        return runId;
    }

    String resumedFrom() {
        return resumedFrom;
    }

    String error() {
        return error;
    }

    void documents(long total) {
        this.documents = total;
    }

    void runId(long id) {
        this.runId = id;
    }

    void resumedFrom(String jobId) {
        this.resumedFrom = jobId;
    }

    /** Starts the job with {@code run} as its handle; false when it was stopped while queued. */
    synchronized boolean start(RunHandle run, Instant now) {
        if (state != State.QUEUED) {
            return false;
        }
        handle = run;
        startedAt = now;
        state = State.RUNNING;
        return true;
    }

    /** Stops the job: a queued one at once, a running one once its documents in flight are recorded. */
    synchronized void stop(Instant now) {
        if (state == State.QUEUED) {
            state = State.STOPPED;
            endedAt = now;
        } else if (state == State.RUNNING && handle != null) {
            handle.stop();
        }
    }

    /** Ends a running job: {@code failed} with {@code message}, else stopped or done as its run ended. */
    synchronized void end(boolean stopped, String message, Instant now) {
        savedCounts = counts();
        state = message != null ? State.FAILED : stopped ? State.STOPPED : State.DONE;
        error = message;
        endedAt = now;
    }

    /** A job that was running when the service ended: it is stopped, and a job with "resume" continues it. */
    synchronized void interrupted(Instant now) {
        state = State.STOPPED;
        endedAt = now;
        error = "the service ended while the job ran; submit it again with \"resume\": true to continue";
    }

    Counts counts() {
        RunHandle run = handle;
        return run == null ? savedCounts
                : new Counts(run.classified(), run.failed(), run.duplicates(), run.skipped());
    }

    /** The job as the API shows it. */
    ObjectNode toJson(Instant now) {
        Counts counts = counts();
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", id);
        json.put("state", state.code());
        if (documents == null) {
            json.putNull("documents");
        } else {
            json.put("documents", documents);
        }
        json.put("recorded", counts.recorded());
        json.put("classified", counts.classified());
        json.put("failed", counts.failed());
        json.put("duplicates", counts.duplicates());
        json.put("skipped", counts.skipped());
        json.put("createdAt", createdAt.toString());
        json.put("startedAt", startedAt == null ? null : startedAt.toString());
        json.put("endedAt", endedAt == null ? null : endedAt.toString());
        Double rate = ratePerHour(counts, now);
        if (rate == null) {
            json.putNull("ratePerHour");
        } else {
            json.put("ratePerHour", Math.round(rate));
        }
        Long eta = etaSeconds(counts, rate);
        if (eta == null) {
            json.putNull("etaSeconds");
        } else {
            json.put("etaSeconds", eta);
        }
        json.set("request", request.toJson());
        json.put("resumedFrom", resumedFrom);
        json.put("error", error);
        return json;
    }

    /** Documents recorded by this job (not those it took over) per hour of its run; null before any. */
    private Double ratePerHour(Counts counts, Instant now) {
        Instant start = startedAt;
        long mine = counts.recorded() - counts.skipped();
        if (start == null || mine == 0) {
            return null;
        }
        Instant end = endedAt != null ? endedAt : now;
        double seconds = Math.max(Duration.between(start, end).toMillis(), 1) / 1000.0;
        return mine / seconds * 3600;
    }

    private Long etaSeconds(Counts counts, Double rate) {
        if (state.isFinal()) {
            return 0L;
        }
        if (rate == null || documents == null) {
            return null;
        }
        return Math.max(0, Math.round((documents - counts.recorded()) / rate * 3600));
    }

    /** The counts as the store keeps them. */
    ObjectNode countsJson() {
        Counts counts = counts();
        return JsonNodeFactory.instance.objectNode().put("classified", counts.classified()).put("failed", counts.failed())
                .put("duplicates", counts.duplicates()).put("skipped", counts.skipped());
    }

    static Counts countsFrom(JsonNode json) {
        if (json == null || json.isNull()) {
            return Counts.NONE;
        }
        return new Counts(json.path("classified").asLong(), json.path("failed").asLong(), json.path("duplicates").asLong(),
                json.path("skipped").asLong());
    }
}
