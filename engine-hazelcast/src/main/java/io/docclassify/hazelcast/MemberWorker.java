package io.docclassify.hazelcast;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.hazelcast.core.HazelcastInstance;
import io.docclassify.DocumentClassifier;
import io.docclassify.DocumentRecord;
import io.docclassify.DocumentRef;
import io.docclassify.sink.RecordJson;
import io.docclassify.spi.DocumentProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's side of the work: builds each run's pipeline once, classifies the chunks it is sent,
 * publishes its counters for {@code doc-classify status}, and hands work back when it shuts down.
 *
 * <p>Thread-safe: the member's executor threads call {@link #process} concurrently.
 */
final class MemberWorker implements AutoCloseable {

    static final String CONTEXT_KEY = "docclassify.worker";
    /**
     * Pipelines of runs submitted from this JVM without a spec (a host's own extractor or classifier):
     * members in the same JVM use them directly; members elsewhere cannot serve such a run.
     */
    static final ConcurrentMap<String, DocumentProcessor> SAME_JVM_RUNS = new ConcurrentHashMap<>();

    private static final Logger LOG = LoggerFactory.getLogger(MemberWorker.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final int workers;
    private final List<String> llmUrls;
    private final Instant started = Instant.now();
    private final ConcurrentMap<PipelineSpec, DocumentClassifier> pipelines = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, PipelineSpec> specsByRun = new ConcurrentHashMap<>();
    private final AtomicInteger documentsInFlight = new AtomicInteger();
    private final AtomicInteger chunksRunning = new AtomicInteger();
    private final AtomicLong documentsDone = new AtomicLong();
    private volatile boolean draining;
    private volatile Path shippedFiles;

    MemberWorker(int workers, List<String> llmUrls) {
        this.workers = workers;
        this.llmUrls = List.copyOf(llmUrls);
    }

    static MemberWorker of(HazelcastInstance member) {
        Object worker = member.getUserContext().get(CONTEXT_KEY);
        if (worker == null) {
            throw new IllegalStateException("member " + member.getName()
                    + " takes no doc-classify work: start members with ClusterNode.start");
        }
        return (MemberWorker) worker;
    }

    ChunkResult process(ChunkTask task, HazelcastInstance member) throws InterruptedException, IOException {
        if (draining) {
            // The submitter sends the chunk to another member.
            throw new RejectedExecutionException("member " + address(member) + " is shutting down");
        }
        chunksRunning.incrementAndGet();
        try {
            return classify(task, member);
        } finally {
            synchronized (this) {
                chunksRunning.decrementAndGet();
                notifyAll();
            }
            publish(member);
        }
    }

    private ChunkResult classify(ChunkTask task, HazelcastInstance member) throws InterruptedException, IOException {
        PipelineSpec spec = specsByRun.computeIfAbsent(task.runId(),
                run -> member.<String, PipelineSpec>getMap(ClusterConfigs.SPECS).get(run));
        DocumentProcessor sameJvm = spec == null ? SAME_JVM_RUNS.get(task.runId()) : null;
        if (spec == null && sameJvm == null) {
            specsByRun.remove(task.runId());
            throw new PipelineUnavailableException("run " + task.runId() + " has no pipeline spec, so member " + address(member)
                    + " cannot build its pipeline; submit with HazelcastEngine settings that carry a PipelineSpec");
        }
        DocumentClassifier pipeline = spec == null ? null : pipelines.computeIfAbsent(spec,
                submitted -> submitted.withLlmUrls(llmUrls).createPipeline());
        List<String> records = new ArrayList<>(task.documents().size());
        int skipped = 0;
        var stopped = member.<String, String>getMap(ClusterConfigs.STOPPED);
        for (DocumentEntry entry : task.documents()) {
            if (stopped.containsKey(task.runId())) {
                break; // like a local worker after a stop: documents not started get no record; --resume does them
            }
            documentsInFlight.incrementAndGet();
            try {
                Optional<DocumentRecord> record = pipeline != null
                        ? Optional.of(classify(pipeline, entry))
                        : sameJvm.process(entry.ref());
                if (record.isPresent()) {
                    records.add(RecordJson.toJson(record.get(), true));
                } else {
                    skipped++;
                }
            } finally {
                documentsInFlight.decrementAndGet();
                documentsDone.incrementAndGet();
            }
        }
        return new ChunkResult(task.chunkId(), address(member), pipeline == null, records.toArray(String[]::new), skipped);
    }

    private DocumentRecord classify(DocumentClassifier pipeline, DocumentEntry entry)
            throws InterruptedException, IOException {
        if (entry.content() == null) {
            return pipeline.classify(entry.ref());
        }
        Path file = Files.write(Files.createTempFile(shippedFiles(), "doc", ".bin"), entry.content());
        try {
            DocumentRecord record = pipeline.classify(DocumentRef.of(file));
            return new DocumentRecord(entry.path(), record.sha256(), record.bytes(), record.mediaType(), record.pages(),
                    record.chars(), record.outcome(), record.classifier(), record.timingsMs(), record.parserWarnings(),
                    record.ocrPages());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private Path shippedFiles() throws IOException {
        Path folder = shippedFiles;
        if (folder == null) {
            synchronized (this) {
                if (shippedFiles == null) {
                    shippedFiles = Files.createTempDirectory("docclassify-member");
                }
                folder = shippedFiles;
            }
        }
        return folder;
    }

    /** Publishes this member's counters; they expire when the member is gone. */
    void publish(HazelcastInstance member) {
        try {
            String status = JSON.createObjectNode()
                    .put("address", address(member))
                    .put("workers", workers)
                    .put("inFlight", documentsInFlight.get())
                    .put("done", documentsDone.get())
                    .put("startedAt", started.toString())
                    .put("draining", draining)
                    .toString();
            member.<String, String>getMap(ClusterConfigs.MEMBER_STATUS)
                    .setAsync(member.getCluster().getLocalMember().getUuid().toString(), status, 60, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            LOG.debug("Could not publish the member status", e);
        }
    }

    /** Refuses new chunks from now on and waits up to {@code grace} for the chunks running to finish. */
    boolean drain(Duration grace) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (this) {
            while (chunksRunning.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return true;
    }

    long documentsDone() {
        return documentsDone.get();
    }

    static String address(HazelcastInstance member) {
        var address = member.getCluster().getLocalMember().getAddress();
        return address.getHost() + ":" + address.getPort();
    }

    @Override
    public void close() throws IOException {
        for (DocumentClassifier pipeline : pipelines.values()) {
            pipeline.close();
        }
        pipelines.clear();
    }
}
