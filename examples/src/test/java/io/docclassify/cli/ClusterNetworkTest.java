package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentRecord;
import io.docclassify.Outcome;
import io.docclassify.contract.Corpus;
import io.docclassify.llm.LoopbackLlmServer;
import io.docclassify.llm.LoopbackLlmServer.Reply;
import io.docclassify.sink.PgTestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster survives the network (issue 19, done-when 2): three member processes, each in its own
 * network namespace, classify with an LLM stand-in of fixed latency while the test unplugs a member,
 * freezes one with SIGSTOP for longer than the failure detector's timeout, and unplugs the submitter for a
 * moment. Every document still ends as exactly one record, and the run finishes. Two runs (one per sink)
 * carry the three faults, since starting members in namespaces is the slow part.
 *
 * <p>Needs root for {@code ip netns} (CI runs as root); without it the tests fail and say so.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterNetworkTest {

    /** The failure detector's timeout for these members: short, so a test waits seconds, not the default 10 s. */
    private static final int HEARTBEAT_TIMEOUT_SECONDS = 4;
    private static final int DOCUMENTS = 240;
    private static final long LLM_LATENCY_MS = 100;

    @TempDir
    Path temp;

    private final String cluster = "net-test-" + UUID.randomUUID();
    /**
     * Replies the LLM stand-in may still give. The test hands them out phase by phase, so the run cannot
     * finish before the last fault, however fast the machine is.
     */
    private final Semaphore replies = new Semaphore(0);
    private TestNetwork network;
    private ChildCli children;
    private LoopbackLlmServer llm;

    @BeforeEach
    void startNetwork() throws Exception {
        network = TestNetwork.create(3);
        children = new ChildCli(temp);
        llm = new LoopbackLlmServer(InetAddress.getByName(network.llmAddress()), call -> {
            awaitReply();
            return new Reply.Slow(LLM_LATENCY_MS, ClusterLlmTest.labelByText(call));
        });
    }

    @AfterEach
    void stopNetwork() throws Exception {
        try {
            if (children != null) {
                children.close();
            }
            if (llm != null) {
                llm.close();
            }
        } finally {
            if (network != null) {
                network.close();
            }
        }
    }

    @Test
    void aMemberUnpluggedMidRun_andTheSubmitterUnpluggedForAMoment_loseNoDocument_andRecordNoneTwice_inJsonLines()
            throws Exception {
        startMembers();
        Path results = temp.resolve("results.jsonl");
        replies.release(DOCUMENTS / 4);
        Process submitter = submit("-o", results.toString());
        ClusterKillTest.waitFor(() -> lines(results), DOCUMENTS / 5, submitter, "records before the member's cut");

        network.cutMember(1);
        awaitSubmitterLog("Member [" + network.memberAddress(1) + "]:5701 left", submitter);
        network.healMember(1);
        long healed = lines(results);
        replies.release(DOCUMENTS / 4);
        ClusterKillTest.waitFor(() -> lines(results), healed + DOCUMENTS / 10, submitter, "records before the submitter's cut");
        unplugSubmitterForAMoment();
        replies.release(DOCUMENTS * 2);

        assertFinished(submitter);
        assertOneRecordPerDocument(CliTest.records(results));
    }

    @Test
    void aMemberFrozenLongerThanTheFailureDetector_hasItsChunksRedone_andItsLateResultsAreNotStoredTwice_inPostgresql()
            throws Exception {
        try (PgTestDatabase db = PgTestDatabase.create()) {
            startMembers();
            replies.release(DOCUMENTS / 4);
            Process submitter = submit("--db", db.url());
            ClusterKillTest.waitFor(() -> ClusterKillTest.paths(db), DOCUMENTS / 5, submitter, "path rows before the freeze");

            Process frozen = children.process("member-2");
            signal("STOP", frozen);
            try {
                awaitSubmitterLog("Member [" + network.memberAddress(2) + "]:5701 left", submitter);
            } finally {
                signal("CONT", frozen);
            }
            long thawed = ClusterKillTest.paths(db);
            replies.release(DOCUMENTS / 4);
            ClusterKillTest.waitFor(() -> ClusterKillTest.paths(db), thawed + DOCUMENTS / 10, submitter, "path rows before the submitter's cut");
            unplugSubmitterForAMoment();
            replies.release(DOCUMENTS * 2);

            assertFinished(submitter);
            assertThat(ClusterKillTest.paths(db)).as("one path row per document").isEqualTo(DOCUMENTS);
            assertThat(db.count("SELECT count(DISTINCT path) FROM (SELECT path FROM document_paths UNION ALL"
                    + " SELECT path FROM unread_paths) p")).as("each path once").isEqualTo(DOCUMENTS);
            assertThat(db.count("SELECT count(*) FROM documents")).as("one row per distinct content")
                    .isEqualTo(db.count("SELECT count(DISTINCT sha256) FROM document_paths"));
            assertThat(db.count("SELECT count(*) FROM documents WHERE outcome = 'failed'")).as("failed documents")
                    .isZero();
        }
    }

    /** Holds an LLM reply until the test allows one (well within the client's 60 s request timeout). */
    private void awaitReply() {
        try {
            if (!replies.tryAcquire(45, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test allowed no LLM reply for 45 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Unplugs the submitter for 2 s, shorter than its heartbeat timeout: its connections live on, stalled. */
    private void unplugSubmitterForAMoment() throws Exception {
        network.cutSubmitter();
        try {
            Thread.sleep(2000);
        } finally {
            network.healSubmitter();
        }
    }

    private List<String> startMembers() throws Exception {
        List<String> addresses = List.of(network.memberAddress(0) + ":5701", network.memberAddress(1) + ":5701",
                network.memberAddress(2) + ":5701");
        List<String> jvm = List.of("-Dhazelcast.max.no.heartbeat.seconds=" + HEARTBEAT_TIMEOUT_SECONDS,
                // A healed partition merges back within seconds instead of Hazelcast's default 5 minutes.
                "-Dhazelcast.merge.first.run.delay.seconds=5", "-Dhazelcast.merge.next.run.delay.seconds=5");
        for (int i = 0; i < 3; i++) {
            children.start("member-" + i, network.launcher(i), Map.of(), jvm, "node", "--cluster-name", cluster, "--bind",
                    network.memberAddress(i), "--port", "5701", "--members", String.join(",", addresses), "-w", "2");
        }
        List<String> started = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            started.add(children.awaitMember("member-" + i));
        }
        return started;
    }

    private Process submit(String... sink) throws IOException {
        List<String> args = new ArrayList<>(List.of("classify", "--manifest", manifest().toString()));
        args.addAll(List.of(sink));
        args.addAll(List.of("--engine", "hazelcast", "--members", network.memberAddress(0) + ":5701,"
                + network.memberAddress(1) + ":5701," + network.memberAddress(2) + ":5701", "--cluster-name", cluster,
                "--classifier", "ollama", "--llm-url", llm.baseUrl(), "--chunk-size", "3", "--batch-size", "1",
                "--no-progress"));
        // A submitter listening to a frozen member for membership news notices it by its own heartbeat.
        List<String> jvm = List.of("-Dhazelcast.client.heartbeat.timeout=" + HEARTBEAT_TIMEOUT_SECONDS * 1500);
        return children.start("submitter", List.of(), Map.of(), jvm, args.toArray(String[]::new));
    }

    private void assertFinished(Process submitter) throws Exception {
        assertThat(submitter.waitFor(150, TimeUnit.SECONDS)).as("the run finishes; output:%n%s", children.outputs()).isTrue();
        assertThat(submitter.exitValue()).as("exit code; output:%n%s", children.outputs()).isZero();
    }

    private static void assertOneRecordPerDocument(List<DocumentRecord> records) {
        assertThat(records).extracting(DocumentRecord::path).as("no document recorded twice").doesNotHaveDuplicates();
        assertThat(records).as("every document recorded").hasSize(DOCUMENTS);
        // The corpus holds a few articles twice: those are recorded as duplicates of the first.
        assertThat(records).as("no document failed")
                .allSatisfy(r -> assertThat(r.outcome()).as("%s", r).isNotInstanceOf(Outcome.Failed.class));
    }

    private void awaitSubmitterLog(String text, Process submitter) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HEARTBEAT_TIMEOUT_SECONDS * 8L);
        while (System.nanoTime() < deadline && submitter.isAlive()) {
            if (children.output("submitter").contains(text)) {
                return;
            }
            submitter.waitFor(100, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("the submitter did not log '" + text + "'; output:\n" + children.outputs());
    }

    private static void signal(String signal, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, process.pid()).isZero();
    }

    /** The run's documents, news articles as text, listed in a manifest. */
    private Path manifest() throws IOException {
        Path manifest = temp.resolve("manifest.csv");
        if (!Files.exists(manifest)) {
            List<String> lines = new ArrayList<>(List.of("path"));
            for (String folder : List.of("bbc_news/docs/tech", "bbc_news/docs/sport")) {
                try (Stream<Path> files = Files.list(Corpus.root().resolve(folder))) {
                    files.filter(Files::isRegularFile).sorted().limit(DOCUMENTS / 2)
                            .forEach(file -> lines.add(file.toAbsolutePath().toString()));
                }
            }
            assertThat(lines).as("documents in the corpus").hasSize(DOCUMENTS + 1);
            Files.write(manifest, lines);
        }
        return manifest;
    }

    private static long lines(Path results) {
        try {
            return Files.exists(results) ? Files.readAllLines(results).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
