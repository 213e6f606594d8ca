package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentRecord;
import io.docclassify.contract.Corpus;
import io.docclassify.hazelcast.ClusterNode;
import io.docclassify.hazelcast.NodeSettings;
import io.docclassify.llm.LoopbackLlmServer;
import io.docclassify.llm.LoopbackLlmServer.Reply;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    @Test
    void ollama_onAMember_givesTheRecordsOfTheLocalEngine_againstTheSameStandIn() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String cluster = "cli-llm-" + UUID.randomUUID();
        List<Path> inputs = List.of(Corpus.file("bbc_news/docs/sport/001.txt"), Corpus.file("bbc_news/docs/tech/001.txt"),
                Corpus.file("bbc_news/docs/business/001.txt"));
        Path onCluster = temp.resolve("cluster.jsonl");
        Path onLocal = temp.resolve("local.jsonl");
        try (LoopbackLlmServer server = new LoopbackLlmServer(call -> new Reply.Answer("news_article", 0.9));
                ClusterNode node = ClusterNode.start(new NodeSettings(cluster, List.of(), "127.0.0.1", port, 1),
                        Duration.ofSeconds(5))) {
            List<String> common = List.of("--no-progress", "--classifier", "ollama", "--llm-url", server.baseUrl(),
                    "--llm-model", "stand-in:1b");
            List<String> clusterArgs = new ArrayList<>(List.of("classify", inputs.get(0).toString(), inputs.get(1).toString(),
                    inputs.get(2).toString(), "-o", onCluster.toString(), "--engine", "hazelcast", "--members", node.address(),
                    "--cluster-name", cluster));
            clusterArgs.addAll(common);
            assertThat(run(clusterArgs.toArray(String[]::new))).as("exit code; stderr: %s", err).isZero();
            assertThat(server.calls()).as("LLM calls made by the member").isEqualTo(inputs.size());
            List<String> localArgs = new ArrayList<>(List.of("classify", inputs.get(0).toString(), inputs.get(1).toString(),
                    inputs.get(2).toString(), "-o", onLocal.toString()));
            localArgs.addAll(common);
            assertThat(run(localArgs.toArray(String[]::new))).as("exit code; stderr: %s", err).isZero();
        }
        assertThat(withoutTimings(CliTest.records(onCluster))).as("records of --engine hazelcast vs --engine local")
                .containsExactlyInAnyOrderElementsOf(withoutTimings(CliTest.records(onLocal)));
        assertThat(CliTest.records(onCluster)).allSatisfy(r -> assertThat(r.classifier()).startsWith("ollama@stand-in:1b"));
    }

    private static List<DocumentRecord> withoutTimings(List<DocumentRecord> records) {
        return records.stream().map(r -> new DocumentRecord(r.path(), r.sha256(), r.bytes(), r.mediaType(), r.pages(),
                r.chars(), r.outcome(), r.classifier(), Map.of(), r.parserWarnings())).toList();
    }
}
