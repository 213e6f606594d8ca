package io.docclassify.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import io.docclassify.spi.Engine;
import io.docclassify.spi.EngineRun;
import io.docclassify.spi.EngineSizing;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code hazelcast} engine: classifies across cluster members, and loses no document when a member dies.
 *
 * <p>Found by name through {@link java.util.ServiceLoader}, it connects as a client to a member at
 * {@code 127.0.0.1:5701} of cluster {@code doc-classify}; construct it with {@link EngineSettings} to
 * name other members, to join as a member ({@code embedded}), or to ship contents. Thread-safe; each
 * {@link #run} connects (or joins) and leaves again, unless it was given an instance to use.
 */
public final class HazelcastEngine implements Engine {

    private final EngineSettings settings;
    private final HazelcastInstance instance;
    private final EngineSizing sizing;
    /** Shared with the sized copies of this engine, so the host's instance tells what the run did. */
    private final AtomicReference<Map<String, Long>> lastRunPerMember;

    /** A client of the default cluster on this host, with the default pipeline spec. */
    public HazelcastEngine() {
        this(EngineSettings.client(List.of("127.0.0.1:" + NodeSettings.DEFAULT_PORT)));
    }

    /** Connects (or joins) per run as {@code settings} say. */
    public HazelcastEngine(EngineSettings settings) {
        this(null, settings, EngineSizing.defaults(), new AtomicReference<>(Map.of()));
    }

    /**
     * Runs through an instance the host owns (a member or a client); the engine never shuts it down.
     * Only the spec, ship-content limit and member wait of {@code settings} apply.
     */
    public HazelcastEngine(HazelcastInstance instance, EngineSettings settings) {
        this(Objects.requireNonNull(instance, "instance"), settings, EngineSizing.defaults(),
                new AtomicReference<>(Map.of()));
    }

    private HazelcastEngine(HazelcastInstance instance, EngineSettings settings, EngineSizing sizing,
            AtomicReference<Map<String, Long>> lastRunPerMember) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.instance = instance;
        this.sizing = sizing;
        this.lastRunPerMember = lastRunPerMember;
    }

    /**
     * Connects a client as this engine's runs would, for a host that keeps one connection for many
     * runs (pass it to {@link #HazelcastEngine(HazelcastInstance, EngineSettings)}); the caller shuts it down.
     *
     * @throws IOException when no member answers
     */
    public static HazelcastInstance connect(EngineSettings settings) throws IOException {
        try {
            return HazelcastClient.newHazelcastClient(ClusterConfigs.client(settings.clusterName(), settings.members()));
        } catch (IllegalStateException e) {
            throw new IOException("no member of cluster '" + settings.clusterName() + "' answered at " + settings.members()
                    + ": start members (ClusterNode.start), or check EngineSettings.members and EngineSettings.clusterName", e);
        }
    }

    @Override
    public String name() {
        return "hazelcast";
    }

    /** Chunks of {@code sizing.chunkSize()}; an {@code embedded} member works with {@code sizing.workers()}. */
    @Override
    public Engine sized(EngineSizing sizing) {
        return new HazelcastEngine(instance, settings, sizing, lastRunPerMember);
    }

    @Override
    public String concurrency() {
        return sizing.workers() + " workers";
    }

    @Override
    public void run(EngineRun run) throws IOException, InterruptedException {
        if (instance != null) {
            execute(instance, run);
            return;
        }
        if (settings.embedded()) {
            NodeSettings node = new NodeSettings(settings.clusterName(), settings.members(), settings.bind(),
                    NodeSettings.DEFAULT_PORT, sizing.workers());
            try (ClusterNode member = ClusterNode.start(node, run.shutdownGrace())) {
                execute(member.instance(), run);
            }
            return;
        }
        HazelcastInstance client = connect(settings);
        try {
            execute(client, run);
        } finally {
            client.shutdown();
        }
    }

    private void execute(HazelcastInstance hz, EngineRun run) throws IOException, InterruptedException {
        Submission submission = new Submission(hz, settings, sizing.chunkSize(), run, Duration.ofSeconds(1));
        try {
            submission.execute();
        } finally {
            lastRunPerMember.set(submission.perMember());
        }
    }

    /** Documents per member ({@code host:port}) of the last run that ended, for the run summary. */
    public Map<String, Long> lastRunPerMember() {
        return lastRunPerMember.get();
    }
}
