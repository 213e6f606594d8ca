package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import io.docclassify.hazelcast.ClusterNode;
import io.docclassify.hazelcast.NodeSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code doc-classify node}: a cluster member that classifies what {@code --engine hazelcast} submitters send. */
@Command(name = "node", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start a cluster member that takes classification work from 'classify --engine hazelcast'."
                + " SIGTERM or Ctrl-C hands its work back before it leaves.")
final class NodeCommand implements Callable<Integer> {

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = NodeSettings.DEFAULT_CLUSTER,
            description = "The cluster to form or join. Default: ${DEFAULT-VALUE}.")
    String clusterName;

    @Option(names = "--members", paramLabel = "HOST:PORT", split = ",",
            description = "Members to join (TCP/IP; multicast is off). None: this member starts the cluster.")
    List<String> members = new ArrayList<>();

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (Hazelcast's open-source edition has no"
                    + " authentication: bind to a private network only).")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + NodeSettings.DEFAULT_PORT,
            description = "Port to listen on (the next free one if taken). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = {"-w", "--workers"}, paramLabel = "N",
            description = "Documents processed at once. Default: the number of cores.")
    Integer workers;

    @Option(names = "--llm-url", paramLabel = "URL[,URL...]", split = ",",
            description = "The LLM servers this member asks (typically the Ollama on this host), instead of those the"
                    + " submitter names. API keys come from this member's environment or key file.")
    List<String> llmUrls = new ArrayList<>();

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "30",
            description = "On SIGTERM, how long running chunks may take before they are left to other members. Default: ${DEFAULT-VALUE}.")
    long graceSeconds;

    @Option(names = {"-v", "--verbose"}, description = "More logging.")
    boolean[] verbose = new boolean[0];

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose.length);
        if (workers != null && workers < 1) {
            throw new ConfigurationException("--workers must be >= 1, got " + workers);
        }
        if (graceSeconds < 0) {
            throw new ConfigurationException("--grace must be >= 0 seconds, got " + graceSeconds);
        }
        NodeSettings settings = new NodeSettings(clusterName, members, bind, port,
                workers != null ? workers : Runtime.getRuntime().availableProcessors(), llmUrls);
        ClusterNode node = ClusterNode.start(settings, Duration.ofSeconds(graceSeconds));
        PrintWriter out = spec.commandLine().getOut();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                out.printf("member %s left after %,d documents%n", node.address(), node.documentsDone());
                out.flush();
            } catch (Exception e) {
                System.err.println("doc-classify: leaving the cluster failed: " + e);
            }
        }, "docclassify-node-shutdown"));
        out.printf("member %s of cluster '%s', %d workers; SIGTERM or Ctrl-C hands work back and leaves%n",
                node.address(), clusterName, settings.workers());
        out.flush();
        node.awaitShutdown();
        return 0;
    }
}
