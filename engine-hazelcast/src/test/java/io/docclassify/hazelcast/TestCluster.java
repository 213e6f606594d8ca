package io.docclassify.hazelcast;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Real members on loopback in this JVM, on free ports, in a cluster of their own name. */
final class TestCluster implements AutoCloseable {

    final String name = "test-" + UUID.randomUUID();
    final List<ClusterNode> nodes = new ArrayList<>();

    static TestCluster start(int members, int workers) {
        TestCluster cluster = new TestCluster();
        for (int i = 0; i < members; i++) {
            cluster.add(workers);
        }
        return cluster;
    }

    ClusterNode add(int workers) {
        NodeSettings settings = new NodeSettings(name, addresses(), "127.0.0.1", freePort(), workers);
        ClusterNode node = ClusterNode.start(settings, Duration.ofSeconds(5));
        nodes.add(node);
        return node;
    }

    List<String> addresses() {
        return nodes.stream().map(ClusterNode::address).toList();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        for (ClusterNode node : nodes) {
            node.close();
        }
    }
}
