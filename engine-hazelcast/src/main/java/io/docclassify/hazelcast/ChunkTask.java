package io.docclassify.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * The command a submitter sends a member: classify these documents of that run. It carries ids and
 * paths (or small contents), never a pipeline: the member builds that once from the run's {@link PipelineSpec}.
 */
final class ChunkTask implements Callable<ChunkResult>, HazelcastInstanceAware {

    private final String runId;
    private final long chunkId;
    private final List<DocumentEntry> documents;
    private transient HazelcastInstance member;

    ChunkTask(String runId, long chunkId, List<DocumentEntry> documents) {
        this.runId = Objects.requireNonNull(runId, "runId");
        this.chunkId = chunkId;
        this.documents = List.copyOf(documents);
    }

    String runId() {
        return runId;
    }

    long chunkId() {
        return chunkId;
    }

    List<DocumentEntry> documents() {
        return documents;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.member = instance;
    }

    @Override
    public ChunkResult call() throws Exception {
        return MemberWorker.of(member).process(this, member);
    }
}
