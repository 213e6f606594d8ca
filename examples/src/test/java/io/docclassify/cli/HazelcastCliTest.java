package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.contract.Corpus;
import io.docclassify.hazelcast.ClusterNode;
import io.docclassify.hazelcast.NodeSettings;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line of the cluster engine: its mistakes, a run against a member, and the cluster status. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HazelcastCliTest extends InProcessCli {

    @TempDir
    Path temp;

    @Test
    void clusterOptions_withoutTheHazelcastEngine_areRefusedWithTheFix() {
        assertThat(run("classify", temp.toString(), "--members", "127.0.0.1:5701")).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("--members, --embedded and --ship-content are for --engine hazelcast");
    }

    @Test
    void theHazelcastEngine_withoutMembers_saysHowToStartOne() {
        assertThat(run("classify", temp.toString(), "--engine", "hazelcast")).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("needs --members HOST:PORT", "doc-classify node");
    }

    @Test
    void aBadMemberAddress_isRefusedWithAnExample() {
        assertThat(run("classify", temp.toString(), "--engine", "hazelcast", "--members", "localhost")).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("host:port entries such as 127.0.0.1:5701, got 'localhost'");
    }

    @Test
    void classify_onAMember_recordsEveryDocument_andStatusShowsTheMember() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String cluster = "cli-" + UUID.randomUUID();
        Path results = temp.resolve("results.jsonl");
        List<Path> inputs = List.of(Corpus.file("bbc_news/docs/sport/001.txt"), Corpus.file("bbc_news/docs/tech/001.txt"));
        try (ClusterNode node = ClusterNode.start(new NodeSettings(cluster, List.of(), "127.0.0.1", port, 1),
                Duration.ofSeconds(5))) {
            int code = run("classify", inputs.get(0).toString(), inputs.get(1).toString(), "-o", results.toString(),
                    "--engine", "hazelcast", "--members", node.address(), "--cluster-name", cluster,
                    "--classifier", "rules", "--no-progress");
            assertThat(code).as("exit code; stderr: %s", err).isZero();
            assertThat(Files.readAllLines(results)).hasSize(2);
            assertThat(out.toString()).contains("members     " + node.address() + " 2");

            assertThat(run("status", "--members", node.address(), "--cluster-name", cluster)).as("stderr: %s", err).isZero();
            assertThat(out.toString()).contains("cluster '" + cluster + "': 1 members", node.address(), "done        2");
        }
    }
}
