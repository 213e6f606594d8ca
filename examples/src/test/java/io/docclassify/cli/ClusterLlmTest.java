package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentRecord;
import io.docclassify.contract.Corpus;
import io.docclassify.hazelcast.ClusterNode;
import io.docclassify.hazelcast.NodeSettings;
import io.docclassify.llm.LoopbackLlmServer;
import io.docclassify.llm.LoopbackLlmServer.Call;
import io.docclassify.llm.LoopbackLlmServer.Reply;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The LLM classifiers on the cluster (issue 19, done-when 1): each gives the records of the local engine
 * against the same stand-in, a member may name its own LLM servers, and three members against a stand-in
 * that fails with 500s, 429s and dropped connections still end with one record per document.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterLlmTest extends InProcessCli {

    @TempDir
    Path temp;

    private final String cluster = "cli-llm-" + UUID.randomUUID();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ollama", "openai", "cascade"})
    void anLlmClassifier_onTheCluster_givesTheRecordsOfTheLocalEngine_againstTheSameStandIn(String classifier)
            throws Exception {
        List<Path> inputs = documents(6);
        LoopbackLlmServer server = open(new LoopbackLlmServer(ClusterLlmTest::labelByText));
        ClusterNode node = member(new NodeSettings(cluster, List.of(), "127.0.0.1", freePort(), 2));
        List<String> common = new ArrayList<>(List.of("--no-progress", "--classifier", classifier, "--llm-url",
                server.baseUrl(), "--llm-model", "stand-in:1b"));
        if (classifier.equals("cascade")) {
            // Documents the embedding classifier is not sure of go to the LLM; at 1, all but certain ones do.
            common.addAll(List.of("--llm-api", "openai", "--escalate-below", "1"));
        }
        Path onCluster = temp.resolve("cluster.jsonl");
        Path onLocal = temp.resolve("local.jsonl");

        assertThat(run(classify(inputs, onCluster, common, "--engine", "hazelcast", "--members", node.address(),
                "--cluster-name", cluster))).as("exit code; stderr: %s", err).isZero();
        int clusterCalls = server.calls();
        assertThat(run(classify(inputs, onLocal, common))).as("exit code; stderr: %s", err).isZero();

        assertThat(clusterCalls).as("LLM calls made by the member").isPositive()
                .isEqualTo(server.calls() - clusterCalls);
        assertThat(server.malformedRequests()).isZero();
        List<DocumentRecord> clusterRecords = CliTest.records(onCluster);
        assertThat(withoutTimings(clusterRecords)).as("records of --engine hazelcast vs --engine local")
                .containsExactlyInAnyOrderElementsOf(withoutTimings(CliTest.records(onLocal)));
        assertThat(clusterRecords).extracting(DocumentRecord::label).as("labels the stand-in gave")
                .contains("invoice", "news_article");
        assertThat(clusterRecords).allSatisfy(r -> assertThat(r.classifier()).contains("@stand-in:1b"));
    }

    @Test
    void aMemberWithItsOwnLlmUrl_asksItsServer_andAMemberWithoutOne_asksTheSubmitters() throws Exception {
        List<Path> inputs = documents(12);
        LoopbackLlmServer submitters = open(new LoopbackLlmServer(ClusterLlmTest::labelByText));
        LoopbackLlmServer own = open(new LoopbackLlmServer(ClusterLlmTest::labelByText));
        int firstPort = freePort();
        int secondPort = freePort();
        List<String> join = List.of("127.0.0.1:" + firstPort, "127.0.0.1:" + secondPort);
        ClusterNode withOwn = member(new NodeSettings(cluster, join, "127.0.0.1", firstPort, 1, List.of(own.baseUrl())));
        ClusterNode plain = member(new NodeSettings(cluster, join, "127.0.0.1", secondPort, 1));
        Path results = temp.resolve("results.jsonl");

        assertThat(run(classify(inputs, results, List.of("--no-progress", "--classifier", "ollama", "--llm-url",
                submitters.baseUrl(), "--chunk-size", "1"), "--engine", "hazelcast", "--members", withOwn.address(),
                "--cluster-name", cluster))).as("exit code; stderr: %s", err).isZero();

        assertThat(CliTest.records(results)).hasSize(inputs.size())
                .allSatisfy(r -> assertThat(r.label()).isNotNull());
        assertThat(own.calls()).as("calls to the member's own server").isEqualTo(withOwn.documentsDone());
        assertThat(submitters.calls()).as("calls to the submitter's server").isEqualTo(plain.documentsDone());
        assertThat(own.calls() + submitters.calls()).isEqualTo(inputs.size());
        assertThat(own.calls()).as("the member with its own server took work").isPositive();
        assertThat(submitters.calls()).as("the member without one took work").isPositive();
    }

    @Test
    void threeMembers_againstAFaultyStandIn_endWithOneRecordPerDocument() throws Exception {
        List<Path> inputs = documents(30);
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        AtomicInteger faults = new AtomicInteger();
        // Each document's first request fails: a 500, a 429 or a dropped connection, by the document; then it is answered.
        LoopbackLlmServer server = open(new LoopbackLlmServer(call -> {
            if (attempts.computeIfAbsent(call.userText(), text -> new AtomicInteger()).getAndIncrement() > 0) {
                return labelByText(call);
            }
            faults.incrementAndGet();
            return switch (Math.floorMod(call.userText().hashCode(), 3)) {
                case 0 -> new Reply.Status(500, null);
                case 1 -> new Reply.Status(429, "0");
                default -> new Reply.Drop();
            };
        }));
        List<String> planned = List.of("127.0.0.1:" + freePort(), "127.0.0.1:" + freePort(), "127.0.0.1:" + freePort());
        List<ClusterNode> members = new ArrayList<>();
        for (String address : planned) {
            members.add(member(new NodeSettings(cluster, planned, "127.0.0.1",
                    Integer.parseInt(address.substring(address.indexOf(':') + 1)), 2)));
        }
        Path results = temp.resolve("results.jsonl");

        assertThat(run(classify(inputs, results, List.of("--no-progress", "--classifier", "ollama", "--llm-url",
                server.baseUrl(), "--chunk-size", "2"), "--engine", "hazelcast", "--members", String.join(",", planned),
                "--cluster-name", cluster))).as("exit code; stderr: %s", err).isZero();

        List<DocumentRecord> records = CliTest.records(results);
        assertThat(records).extracting(DocumentRecord::path).as("no document recorded twice").doesNotHaveDuplicates();
        assertThat(records).as("one record per document").hasSize(inputs.size());
        assertThat(records).as("every document classified after its retry")
                .allSatisfy(r -> assertThat(r.label()).as("%s", r).isNotNull());
        assertThat(faults.get()).as("faults injected").isEqualTo(attempts.size());
        assertThat(attempts.size()).as("documents the stand-in saw").isEqualTo(inputs.size());
        assertThat(members).as("every member took work").allSatisfy(m -> assertThat(m.documentsDone()).isPositive());
    }

    /** The stand-in's answer: invoices by their word, the rest as news, with a confidence from the text. */
    static Reply labelByText(Call call) {
        String text = call.userText().toLowerCase(Locale.ROOT);
        double confidence = 0.5 + Math.floorMod(text.hashCode(), 50) / 100.0;
        return new Reply.Answer(text.contains("invoice") ? "invoice" : "news_article", confidence);
    }

    /** News articles and invoices (PDF) of the corpus, half each; scans would fail extraction without OCR. */
    static List<Path> documents(int count) throws IOException {
        List<Path> documents = new ArrayList<>();
        for (String folder : List.of("bbc_news/docs/business", "business_docs/docs/invoice")) {
            try (Stream<Path> files = Files.list(Corpus.root().resolve(folder))) {
                files.filter(f -> f.toString().endsWith(".txt") || f.toString().endsWith(".pdf")).sorted().limit(count / 2).forEach(documents::add);
            }
        }
        return documents;
    }

    private static String[] classify(List<Path> inputs, Path results, List<String> options, String... engine) {
        List<String> args = new ArrayList<>(List.of("classify"));
        inputs.forEach(input -> args.add(input.toString()));
        args.addAll(List.of("-o", results.toString()));
        args.addAll(options);
        args.addAll(List.of(engine));
        return args.toArray(String[]::new);
    }

    private ClusterNode member(NodeSettings settings) {
        return open(ClusterNode.start(settings, Duration.ofSeconds(5)));
    }

    private <T extends AutoCloseable> T open(T resource) {
        resources.add(resource);
        return resource;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static List<DocumentRecord> withoutTimings(List<DocumentRecord> records) {
        return records.stream().map(r -> new DocumentRecord(r.path(), r.sha256(), r.bytes(), r.mediaType(), r.pages(),
                r.chars(), r.outcome(), r.classifier(), Map.of(), r.parserWarnings())).toList();
    }
}
