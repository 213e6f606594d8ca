package io.docclassify.hazelcast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a cluster's work, for {@code doc-classify status --members}: members with their documents
 * in flight, and the runs in progress with their queue depth and rate.
 *
 * @param members the members, by address
 * @param runs the runs in progress
 */
public record ClusterStatus(List<MemberLine> members, List<RunLine> runs) {

    /** One member's counters; {@code done} counts since the member started. */
    public record MemberLine(String address, int workers, int inFlight, long done, boolean draining) {}

    /** One run's counters, as its submitter last published them. */
    public record RunLine(String id, long documents, double documentsPerSecond, int queuedChunks, int chunksInFlight,
            Map<String, Long> perMember) {}

    public ClusterStatus {
        members = List.copyOf(members);
        runs = List.copyOf(runs);
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Connects as a client, reads the status, and disconnects.
     *
     * @throws IllegalStateException when no member answers at {@code members}
     */
    public static ClusterStatus query(String clusterName, List<String> members) {
        HazelcastInstance client = HazelcastClient.newHazelcastClient(ClusterConfigs.client(clusterName, members));
        try {
            return read(client);
        } finally {
            client.shutdown();
        }
    }

    /** Reads the status through an instance the caller owns. */
    public static ClusterStatus read(HazelcastInstance hz) {
        Map<String, String> counters = hz.<String, String>getMap(ClusterConfigs.MEMBER_STATUS);
        List<MemberLine> members = new ArrayList<>();
        for (Member member : hz.getCluster().getMembers()) {
            JsonNode status = parse(counters.get(member.getUuid().toString()));
            String address = member.getAddress().getHost() + ":" + member.getAddress().getPort();
            String workers = member.getAttribute(ClusterConfigs.WORKERS_ATTRIBUTE);
            members.add(new MemberLine(address, workers == null ? 0 : Integer.parseInt(workers),
                    status.path("inFlight").asInt(0), status.path("done").asLong(0), status.path("draining").asBoolean(false)));
        }
        members.sort(Comparator.comparing(MemberLine::address));
        List<RunLine> runs = new ArrayList<>();
        hz.<String, String>getMap(ClusterConfigs.RUN_STATUS).forEach((id, json) -> {
            JsonNode status = parse(json);
            long documents = status.path("documents").asLong(0);
            Instant started = Instant.parse(status.path("startedAt").asText(Instant.now().toString()));
            double seconds = Math.max(1e-3, Duration.between(started, Instant.now()).toMillis() / 1000.0);
            Map<String, Long> perMember = JSON.convertValue(status.path("perMember"),
                    JSON.getTypeFactory().constructMapType(Map.class, String.class, Long.class));
            runs.add(new RunLine(id, documents, documents / seconds, status.path("queuedChunks").asInt(0),
                    status.path("chunksInFlight").asInt(0), perMember == null ? Map.of() : perMember));
        });
        return new ClusterStatus(members, runs);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json == null ? "{}" : json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
