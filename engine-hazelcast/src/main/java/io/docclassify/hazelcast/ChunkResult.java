package io.docclassify.hazelcast;

import java.util.Objects;

/**
 * What a member sends back for one chunk.
 *
 * @param chunkId the chunk's id within its run
 * @param member the address of the member that processed it, for per-member counts
 * @param admitted whether the records already went through the run's dedup and resume memory (a
 *     member in the submitter's JVM uses the submitter's own pipeline), or still need {@code admit}
 * @param records one JSON line per record ({@link io.docclassify.sink.RecordJson}, with the embedding), the tested format of the results file
 * @param skipped documents an earlier run already recorded (only when {@code admitted})
 */
record ChunkResult(long chunkId, String member, boolean admitted, String[] records, int skipped) {

    ChunkResult {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(records, "records");
    }
}
