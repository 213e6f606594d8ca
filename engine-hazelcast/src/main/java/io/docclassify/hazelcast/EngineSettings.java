package io.docclassify.hazelcast;

import io.docclassify.ConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the {@code hazelcast} engine reaches the cluster and what it sends.
 *
 * @param clusterName the cluster to join
 * @param members {@code host:port} of one or more members (at least one)
 * @param embedded join as a member that also takes work, instead of connecting as a client
 * @param bind with {@code embedded}, the address to listen on
 * @param shipContentLimit files up to this many bytes travel with their chunk, for members that
 *     share no storage with the submitter; 0 sends paths only
 * @param spec how members build the pipeline, or {@code null} when only members in the submitting JVM
 *     take work (they reuse the submitter's pipeline; a host's own extractor cannot travel)
 * @param memberWait how long a run waits for a member that takes work before it fails
 */
public record EngineSettings(String clusterName, List<String> members, boolean embedded, String bind,
        long shipContentLimit, PipelineSpec spec, Duration memberWait) {

    public EngineSettings {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(memberWait, "memberWait");
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new ConfigurationException("EngineSettings.members", members, "EngineSettings.members must name"
                    + " at least one member as host:port (start one with ClusterNode.start)");
        }
        members.forEach(NodeSettings::checkAddress);
        if (shipContentLimit < 0) {
            throw new ConfigurationException("EngineSettings.shipContentLimit", shipContentLimit,
                    "EngineSettings.shipContentLimit must be >= 0 bytes, got " + shipContentLimit);
        }
        if (memberWait.isNegative() || memberWait.isZero()) {
            throw new ConfigurationException("EngineSettings.memberWait", memberWait,
                    "EngineSettings.memberWait must be > 0, got " + memberWait);
        }
    }

    /** A client of the default cluster at {@code members}, paths only, the default pipeline. */
    public static EngineSettings client(List<String> members) {
        return new EngineSettings(NodeSettings.DEFAULT_CLUSTER, members, false, "127.0.0.1", 0,
                PipelineSpec.defaults(), Duration.ofSeconds(60));
    }

    public EngineSettings withClusterName(String value) {
        return new EngineSettings(value, members, embedded, bind, shipContentLimit, spec, memberWait);
    }

    public EngineSettings withEmbedded(boolean value) {
        return new EngineSettings(clusterName, members, value, bind, shipContentLimit, spec, memberWait);
    }

    public EngineSettings withShipContentLimit(long value) {
        return new EngineSettings(clusterName, members, embedded, bind, value, spec, memberWait);
    }

    public EngineSettings withSpec(PipelineSpec value) {
        return new EngineSettings(clusterName, members, embedded, bind, shipContentLimit, value, memberWait);
    }

    public EngineSettings withMemberWait(Duration value) {
        return new EngineSettings(clusterName, members, embedded, bind, shipContentLimit, spec, value);
    }
}
