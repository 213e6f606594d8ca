/**
 * The distributed engine ({@code hazelcast}) and its cluster member runner.
 *
 * <p>A host submits with {@link io.docclassify.hazelcast.HazelcastEngine} (as a client, or as a member
 * with {@code embedded}); members are started with {@link io.docclassify.hazelcast.ClusterNode} (what
 * {@code doc-classify node} runs). Members rebuild the pipeline from a {@link io.docclassify.hazelcast.PipelineSpec};
 * a member that dies loses no document (see the design note of {@code Submission}).
 */
package io.docclassify.hazelcast;
