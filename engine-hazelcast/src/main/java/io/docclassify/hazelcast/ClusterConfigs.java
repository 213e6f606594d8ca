package io.docclassify.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The Hazelcast configuration of members and submitting clients: explicit join, loopback, fast failure detection. */
final class ClusterConfigs {

    /** The executor members take chunks on. */
    static final String EXECUTOR = "docclassify-chunks";
    /** The member attribute that says how many documents a member processes at once. */
    static final String WORKERS_ATTRIBUTE = "docclassify.workers";
    /** Runs' pipeline specs, by run id. */
    static final String SPECS = "docclassify-specs";
    /** Runs stopped by their submitter, by run id: members start no further document of theirs. */
    static final String STOPPED = "docclassify-stopped";
    /** Members' live counters, by member uuid, as JSON. */
    static final String MEMBER_STATUS = "docclassify-members";
    /** Runs' live counters, by run id, as JSON. */
    static final String RUN_STATUS = "docclassify-runs";

    private ClusterConfigs() {}

    static Config member(NodeSettings settings, MemberWorker worker) {
        Config config = new Config();
        config.setClusterName(settings.clusterName());
        common(config::setProperty);
        // A killed member's connection resets at once; heartbeats catch a frozen or unplugged one within 10 s.
        // A -D system property of the same name wins (Hazelcast reads it when the config does not set it).
        defaultProperty(config::setProperty, "hazelcast.max.no.heartbeat.seconds", "10");
        defaultProperty(config::setProperty, "hazelcast.heartbeat.interval.seconds", "1");
        // A member cut off and back looks for its old cluster after 30 s, not Hazelcast's 5 minutes: until it
        // merges back it takes no work (docs/scaling-out.md, "When the network splits").
        defaultProperty(config::setProperty, "hazelcast.merge.first.run.delay.seconds", "30");
        defaultProperty(config::setProperty, "hazelcast.merge.next.run.delay.seconds", "30");
        config.setProperty("hazelcast.socket.bind.any", "false");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(true);
        network.getInterfaces().setEnabled(true).addInterface(settings.bind());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members().isEmpty()
                ? List.of(settings.bind() + ":" + settings.port()) : settings.members());
        config.getMemberAttributeConfig().setAttribute(WORKERS_ATTRIBUTE, Integer.toString(settings.workers()));
        config.getExecutorConfig(EXECUTOR).setPoolSize(Math.max(1, settings.workers()));
        WireFormat.register(config.getSerializationConfig().getCompactSerializationConfig());
        ConcurrentMap<String, Object> context = new ConcurrentHashMap<>();
        context.put(MemberWorker.CONTEXT_KEY, worker);
        config.setUserContext(context);
        return config;
    }

    private static void defaultProperty(Properties properties, String name, String value) {
        if (System.getProperty(name) == null) {
            properties.set(name, value);
        }
    }

    static ClientConfig client(String clusterName, List<String> members) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        common(config::setProperty);
        config.getNetworkConfig().setAddresses(List.copyOf(members));
        // The client learns of members leaving from the one member it listens to: if that member freezes, only
        // the client's own heartbeat notices (60 s by default); as quick as the members' failure detector.
        defaultProperty(config::setProperty, "hazelcast.client.heartbeat.timeout", "10000");
        defaultProperty(config::setProperty, "hazelcast.client.heartbeat.interval", "1000");
        // Fail fast when no member answers: the CLI reports it instead of retrying for ever.
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(20_000);
        WireFormat.register(config.getSerializationConfig().getCompactSerializationConfig());
        return config;
    }

    private interface Properties {
        Object set(String name, String value);
    }

    private static void common(Properties properties) {
        properties.set("hazelcast.logging.type", "slf4j");
        properties.set("hazelcast.phone.home.enabled", "false");
        // On SIGTERM a member first hands its work back and a submitter finishes its run; then they leave.
        properties.set("hazelcast.shutdownhook.enabled", "false");
    }
}
