package io.docclassify.examples;

import io.docclassify.hazelcast.ClusterNode;
import io.docclassify.hazelcast.NodeSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A host application that embeds a cluster member: it takes classification work from
 * {@code classify --engine hazelcast} submitters until it is stopped, then hands its work back.
 *
 * <p>Run: {@code java --add-opens java.base/java.lang=ALL-UNNAMED -cp examples/target/doc-classify.jar
 * io.docclassify.examples.SampleClusterNode PORT [HOST:PORT...]}
 */
public final class SampleClusterNode {

    private SampleClusterNode() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: SampleClusterNode PORT [MEMBER_HOST:PORT...]");
            System.exit(2);
        }
        ClusterNode node = start(Integer.parseInt(args[0]), List.of(args).subList(1, args.length));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close(); // SIGTERM: running chunks finish, queued ones go to other members
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
        System.out.println("member " + node.address() + " takes work; stop it with SIGTERM");
        node.awaitShutdown();
    }

    /** Starts a member of the default cluster on loopback, one worker per core, joining {@code members}. */
    public static ClusterNode start(int port, List<String> members) {
        return ClusterNode.start(NodeSettings.defaults().withPort(port).withMembers(members));
    }
}
