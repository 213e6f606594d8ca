package io.docclassify.hazelcast;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import io.docclassify.ConfigurationException;
import io.docclassify.DocumentRecord;
import io.docclassify.DocumentRef;
import io.docclassify.sink.RecordJson;
import io.docclassify.spi.EngineRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the {@code hazelcast} engine on the submitting side: streams chunks to members, takes
 * their results, and sends a chunk again when the member it was on leaves.
 *
 * <p>Not thread-safe: one thread runs {@link #execute()}; Hazelcast's callback threads only enqueue events.
 */
/*
 * Design note: delivery.
 *
 * The submitter is the ledger. It streams the source in chunks and sends each chunk to one member
 * with IExecutorService.submitToMember, keeping every chunk it sent in `open` until a result for it
 * arrives. Plain executor tasks die with their member (hazelcast issue #944) and so does a
 * DurableExecutorService's result if the submitter cannot reach it; here a loss is noticed two ways:
 * the task's callback fails (MemberLeftException, TargetDisconnectedException, a rejection from a
 * member that is shutting down), or the membership listener reports the member gone. Either way the
 * chunk goes back to the front of the queue and another member runs it. This is the lease of a
 * map-backed work queue, with cluster membership as the lease: Hazelcast's failure detector decides
 * when a member is dead, so no lease time has to be tuned against the slowest document.
 *
 * A chunk may thus run twice (its member finished, answered, and died before the answer arrived, or a
 * member was wrongly suspected); its first result is taken and later ones are dropped by chunk id, so
 * every document gets exactly one record, and a sink's idempotency on sha256 is a second guard rather
 * than the mechanism. Results travel back in the task's response, so the submitter's own sink (JSON
 * Lines or PostgreSQL) writes them and the run's dedup and resume memory applies to them
 * (DocumentProcessor.admit): members run a memory-less pipeline built once from the PipelineSpec.
 *
 * Flow control: a member gets at most two chunks per worker (its `docclassify.workers` attribute) at
 * a time, and the least loaded member gets the next chunk, so a member that joins mid-run takes work
 * at once and the source is never read far ahead. What the submitter cannot survive is its own death:
 * the run ends, and --resume continues it like any other engine's run. Cost: one round trip per chunk;
 * documents are read from shared storage by path, or travel inline under --ship-content.
 */
final class Submission {

    private static final Logger LOG = LoggerFactory.getLogger(Submission.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CHUNKS_PER_WORKER = 2;
    private static final int MAX_ATTEMPTS = 20;

    private sealed interface Event permits Answered, Refused, MemberLeft {}

    private record Answered(long ticket, ChunkResult result) implements Event {}

    private record Refused(long ticket, Throwable error) implements Event {}

    private record MemberLeft(UUID member, String address) implements Event {}

    /** A chunk sent, possibly more than once, until a result for it arrives. */
    private static final class Chunk {
        final long id;
        final List<DocumentEntry> documents;
        int attempts;
        int live;
        boolean queued;

        Chunk(long id, List<DocumentEntry> documents) {
            this.id = id;
            this.documents = documents;
        }
    }

    private record Ticket(Chunk chunk, UUID member) {}

    private final HazelcastInstance hz;
    private final EngineSettings settings;
    private final EngineRun run;
    private final Duration statusInterval;
    private final String runId = UUID.randomUUID().toString();
    private final IExecutorService executor;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final ArrayDeque<Chunk> pending = new ArrayDeque<>();
    private final Map<Long, Chunk> open = new HashMap<>();
    private final Map<Long, Ticket> tickets = new HashMap<>();
    private final Map<UUID, Integer> inFlightByMember = new HashMap<>();
    private final Map<String, Long> perMember = new ConcurrentHashMap<>();
    private final Instant started = Instant.now();
    private long nextChunk;
    private long nextTicket;
    private long documentsDone;
    private long lastStatus;
    private final int chunkSize;

    Submission(HazelcastInstance hz, EngineSettings settings, int chunkSize, EngineRun run, Duration statusInterval) {
        this.hz = hz;
        this.settings = settings;
        this.chunkSize = chunkSize;
        this.run = run;
        this.statusInterval = statusInterval;
        this.executor = hz.getExecutorService(ClusterConfigs.EXECUTOR);
    }

    void execute() throws IOException, InterruptedException {
        if (settings.spec() != null) {
            hz.<String, PipelineSpec>getMap(ClusterConfigs.SPECS).set(runId, settings.spec(), 1, TimeUnit.DAYS);
        } else {
            MemberWorker.SAME_JVM_RUNS.put(runId, run.processor());
        }
        UUID listener = hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                LOG.info("Member {} joined; it takes work from now on", event.getMember().getAddress());
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                events.add(new MemberLeft(event.getMember().getUuid(), event.getMember().getAddress().toString()));
            }
        });
        try (Stream<DocumentRef> refs = run.source().open()) {
            loop(refs.iterator());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            MemberWorker.SAME_JVM_RUNS.remove(runId);
            if (hz.getLifecycleService().isRunning()) {
                hz.getCluster().removeMembershipListener(listener);
                hz.getMap(ClusterConfigs.SPECS).delete(runId);
                hz.getMap(ClusterConfigs.RUN_STATUS).delete(runId);
                hz.getMap(ClusterConfigs.STOPPED).delete(runId);
            }
            LOG.info("Documents per member: {}", perMember());
        }
    }

    private void loop(Iterator<DocumentRef> refs) throws IOException, InterruptedException {
        boolean exhausted = false;
        long waitingSince = System.nanoTime();
        long stopDeadline = 0;
        while (true) {
            boolean stopping = run.stopRequested().getAsBoolean();
            if (!stopping) {
                exhausted = dispatch(refs, exhausted);
            }
            if (tickets.isEmpty() && (stopping || exhausted && open.isEmpty())) {
                return;
            }
            long now = System.nanoTime();
            if (stopping) {
                if (stopDeadline == 0) {
                    stopDeadline = now + run.shutdownGrace().toNanos();
                    hz.<String, String>getMap(ClusterConfigs.STOPPED).set(runId, "stopped", 1, TimeUnit.DAYS);
                } else if (now - stopDeadline > 0) {
                    LOG.warn("Chunks still running after the {} s grace period are abandoned; a resumed run picks them up",
                            run.shutdownGrace().toSeconds());
                    return;
                }
            }
            if (!tickets.isEmpty()) {
                waitingSince = now;
            } else if (now - waitingSince > settings.memberWait().toNanos()) {
                throw new IOException("no cluster member took work for " + settings.memberWait().toSeconds()
                        + " s: start members (ClusterNode.start) that join cluster '" + settings.clusterName() + "'");
            }
            Event event = events.poll(200, TimeUnit.MILLISECONDS);
            while (event != null) {
                handle(event);
                event = events.poll();
            }
            publishStatus(false);
        }
    }

    /** Sends chunks while some member has room; returns whether the source is exhausted. */
    private boolean dispatch(Iterator<DocumentRef> refs, boolean exhausted) {
        List<Member> members = new ArrayList<>();
        for (Member member : hz.getCluster().getMembers()) {
            if (workers(member) > 0) {
                members.add(member);
            }
        }
        while (true) {
            Member target = leastLoaded(members);
            if (target == null) {
                return exhausted;
            }
            Chunk chunk = nextPending();
            if (chunk == null) {
                if (exhausted) {
                    return true;
                }
                chunk = read(refs);
                if (chunk == null) {
                    return true;
                }
            }
            send(chunk, target);
        }
    }

    private Member leastLoaded(List<Member> members) {
        Member best = null;
        double bestLoad = 1;
        for (Member member : members) {
            double load = inFlightByMember.getOrDefault(member.getUuid(), 0) / (double) (workers(member) * CHUNKS_PER_WORKER);
            if (load < bestLoad) {
                best = member;
                bestLoad = load;
            }
        }
        return best;
    }

    private static int workers(Member member) {
        try {
            String value = member.getAttribute(ClusterConfigs.WORKERS_ATTRIBUTE);
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private Chunk nextPending() {
        for (Chunk chunk = pending.poll(); chunk != null; chunk = pending.poll()) {
            chunk.queued = false;
            if (open.containsKey(chunk.id)) {
                return chunk;
            }
        }
        return null;
    }

    private Chunk read(Iterator<DocumentRef> refs) {
        List<DocumentEntry> documents = new ArrayList<>(chunkSize);
        while (documents.size() < chunkSize && refs.hasNext()) {
            DocumentRef ref = refs.next();
            documents.add(DocumentEntry.of(ref, shippedContent(ref.path())));
        }
        if (documents.isEmpty()) {
            return null;
        }
        Chunk chunk = new Chunk(nextChunk++, documents);
        open.put(chunk.id, chunk);
        return chunk;
    }

    /** The bytes to ship with a document, or {@code null} to let the member read it from shared storage. */
    private byte[] shippedContent(Path file) {
        if (settings.shipContentLimit() == 0) {
            return null;
        }
        try {
            if (Files.isRegularFile(file) && Files.size(file) <= settings.shipContentLimit()) {
                return Files.readAllBytes(file);
            }
        } catch (IOException e) {
            // The member reads the path and records why it cannot, like any engine would.
        }
        return null;
    }

    private void send(Chunk chunk, Member member) {
        long ticket = nextTicket++;
        chunk.attempts++;
        chunk.live++;
        tickets.put(ticket, new Ticket(chunk, member.getUuid()));
        inFlightByMember.merge(member.getUuid(), 1, Integer::sum);
        try {
            executor.submitToMember(new ChunkTask(runId, chunk.id, chunk.documents), member,
                    new ExecutionCallback<ChunkResult>() {
                        @Override
                        public void onResponse(ChunkResult result) {
                            events.add(new Answered(ticket, result));
                        }

                        @Override
                        public void onFailure(Throwable error) {
                            events.add(new Refused(ticket, error));
                        }
                    });
        } catch (RuntimeException e) {
            events.add(new Refused(ticket, e));
        }
    }

    private void handle(Event event) throws IOException {
        switch (event) {
            case Answered answered -> {
                release(tickets.remove(answered.ticket()));
                accept(answered.result());
            }
            case Refused refused -> {
                Ticket ticket = tickets.remove(refused.ticket());
                release(ticket);
                if (ticket != null && open.containsKey(ticket.chunk().id)) {
                    retry(ticket.chunk(), refused.error());
                }
            }
            case MemberLeft left -> {
                List<Long> lost = new ArrayList<>();
                tickets.forEach((id, ticket) -> {
                    if (ticket.member().equals(left.member())) {
                        lost.add(id);
                    }
                });
                for (Long id : lost) {
                    Ticket ticket = tickets.remove(id);
                    release(ticket);
                    requeue(ticket.chunk());
                }
                inFlightByMember.remove(left.member());
                LOG.warn("Member {} left with {} chunks in flight; they run again on other members", left.address(),
                        lost.size());
            }
        }
    }

    private void release(Ticket ticket) {
        if (ticket != null) {
            ticket.chunk().live--;
            inFlightByMember.computeIfPresent(ticket.member(), (member, count) -> count > 1 ? count - 1 : null);
        }
    }

    private void accept(ChunkResult result) throws IOException {
        if (open.remove(result.chunkId()) == null) {
            return; // an earlier attempt's result was taken already
        }
        for (String json : result.records()) {
            DocumentRecord record = RecordJson.fromJson(json);
            Optional<DocumentRecord> kept = result.admitted() ? Optional.of(record) : run.processor().admit(record);
            if (kept.isPresent()) {
                run.collector().collect(kept.get());
            }
        }
        long documents = result.records().length + result.skipped();
        documentsDone += documents;
        perMember.merge(result.member(), documents, Long::sum);
    }

    private void retry(Chunk chunk, Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof PipelineUnavailableException) {
                throw new ConfigurationException(cause.getMessage(), cause);
            }
        }
        if (chunk.attempts >= MAX_ATTEMPTS) {
            throw new IllegalStateException("chunk " + chunk.id + " (first document " + chunk.documents.get(0).path()
                    + ") failed on " + MAX_ATTEMPTS + " attempts; last error: " + error, error);
        }
        LOG.info("Chunk {} comes back ({}); it runs again", chunk.id, error.toString());
        requeue(chunk);
    }

    private void requeue(Chunk chunk) {
        if (chunk.live == 0 && !chunk.queued && open.containsKey(chunk.id)) {
            chunk.queued = true;
            pending.addFirst(chunk);
        }
    }

    private void publishStatus(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastStatus < statusInterval.toNanos()) {
            return;
        }
        lastStatus = now;
        ObjectNode status = JSON.createObjectNode()
                .put("startedAt", started.toString())
                .put("queuedChunks", pending.size())
                .put("chunksInFlight", tickets.size())
                .put("documents", documentsDone);
        ObjectNode members = status.putObject("perMember");
        perMember().forEach(members::put);
        try {
            hz.<String, String>getMap(ClusterConfigs.RUN_STATUS).setAsync(runId, status.toString(), 5, TimeUnit.MINUTES);
        } catch (RuntimeException e) {
            LOG.debug("Could not publish the run status", e);
        }
    }

    Map<String, Long> perMember() {
        return new TreeMap<>(perMember);
    }
}
