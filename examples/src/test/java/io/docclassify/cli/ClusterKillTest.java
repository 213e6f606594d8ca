package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentRecord;
import io.docclassify.contract.Corpus;
import io.docclassify.sink.PgTestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Done-when 2 and 3 of the cluster engine: three member processes on loopback, one killed with SIGKILL
 * midway, and still exactly one record per document; a member that joins mid-run takes work.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterKillTest {

    private static final Path CORPUS = Corpus.root().resolve("business_docs/docs");
    private static final Pattern MEMBER_LINE = Pattern.compile("^  members +(.*)$", Pattern.MULTILINE);

    @TempDir
    Path temp;

    private final String cluster = "kill-test-" + UUID.randomUUID();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMemberKilledMidway_losesNoDocument_andRecordsNoneTwice_inJsonLines() throws Exception {
        List<String> members = startMembers(3);
        Path results = temp.resolve("results.jsonl");
        Process submitter = child("submitter", "classify", CORPUS.toString(), "-o", results.toString(),
                "--engine", "hazelcast", "--members", String.join(",", members), "--cluster-name", cluster,
                "--classifier", "rules", "--chunk-size", "4", "--batch-size", "1", "--no-progress");
        int documents = documents();
        waitFor(() -> lines(results), documents / 4, submitter, "records before the kill");
        processes.get(1).destroyForcibly(); // SIGKILL: the member dies with chunks in flight
        assertThat(processes.get(1).waitFor(30, TimeUnit.SECONDS)).isTrue();
        long beforeKill = lines(results);

        assertThat(submitter.waitFor(240, TimeUnit.SECONDS)).as("the run finishes").isTrue();
        String output = Files.readString(log("submitter"));
        assertThat(submitter.exitValue()).as("exit code; output:%n%s", output).isZero();
        List<DocumentRecord> records = CliTest.records(results);
        assertThat(records).extracting(DocumentRecord::path).as("no document recorded twice").doesNotHaveDuplicates();
        assertThat(records).as("every document recorded").hasSize(documents);
        assertThat(beforeKill).as("the kill came midway").isLessThan(documents);
        assertThat(perMember(output)).as("per-member counts in the summary").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aMemberKilledMidway_losesNoDocument_inPostgresql() throws Exception {
        try (PgTestDatabase db = PgTestDatabase.create()) {
            List<String> members = startMembers(3);
            Process submitter = child("submitter", "classify", CORPUS.toString(), "--db", db.url(),
                    "--engine", "hazelcast", "--members", String.join(",", members), "--cluster-name", cluster,
                    "--classifier", "rules", "--chunk-size", "4", "--batch-size", "1", "--no-progress");
            int documents = documents();
            waitFor(() -> paths(db), documents / 4, submitter, "path rows before the kill");
            processes.get(2).destroyForcibly();
            assertThat(processes.get(2).waitFor(30, TimeUnit.SECONDS)).isTrue();
            long beforeKill = paths(db);

            assertThat(submitter.waitFor(240, TimeUnit.SECONDS)).as("the run finishes").isTrue();
            assertThat(submitter.exitValue()).as("exit code; output:%n%s", Files.readString(log("submitter"))).isZero();
            assertThat(beforeKill).as("the kill came midway").isLessThan(documents);
            assertThat(paths(db)).as("one path row per document").isEqualTo(documents);
            assertThat(db.count("SELECT count(DISTINCT path) FROM (SELECT path FROM document_paths UNION ALL"
                    + " SELECT path FROM unread_paths) p")).as("each path once").isEqualTo(documents);
            assertThat(db.count("SELECT count(*) FROM documents")).as("one row per distinct content")
                    .isEqualTo(db.count("SELECT count(DISTINCT sha256) FROM document_paths"));
        }
    }

    @Test
    void aMemberJoiningMidRun_takesWork() throws Exception {
        List<String> members = startMembers(1);
        Path results = temp.resolve("results.jsonl");
        Process submitter = child("submitter", "classify", CORPUS.toString(), "-o", results.toString(),
                "--engine", "hazelcast", "--members", String.join(",", members), "--cluster-name", cluster,
                "--classifier", "rules", "--chunk-size", "4", "--batch-size", "1", "--no-progress");
        int documents = documents();
        waitFor(() -> lines(results), 20, submitter, "records before the second member joins");
        String joined = startMember(members);

        assertThat(submitter.waitFor(240, TimeUnit.SECONDS)).as("the run finishes").isTrue();
        String output = Files.readString(log("submitter"));
        assertThat(submitter.exitValue()).as("exit code; output:%n%s", output).isZero();
        assertThat(CliTest.records(results)).hasSize(documents);
        List<String> counts = perMember(output);
        assertThat(counts).as("the summary's members line; output:%n%s", output)
                .anySatisfy(entry -> assertThat(entry).startsWith(joined + " "));
        long joinedCount = Long.parseLong(counts.stream().filter(e -> e.startsWith(joined + " ")).findFirst()
                .orElseThrow().substring(joined.length() + 1).replace(",", ""));
        assertThat(joinedCount).as("documents the late member processed").isPositive();
    }

    private List<String> startMembers(int count) throws Exception {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            members.add(startMember(members));
        }
        return members;
    }

    /** Starts a member process and returns its address once it has joined. */
    private String startMember(List<String> join) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String name = "member-" + processes.size();
        List<String> args = new ArrayList<>(List.of("node", "--cluster-name", cluster, "--port", "" + port, "-w", "1"));
        if (!join.isEmpty()) {
            args.addAll(List.of("--members", String.join(",", join)));
        }
        Process member = child(name, args.toArray(String[]::new));
        Pattern started = Pattern.compile("^member (\\S+) of cluster", Pattern.MULTILINE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && member.isAlive()) {
            Matcher m = started.matcher(Files.readString(log(name)));
            if (m.find()) {
                return m.group(1);
            }
            member.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError(name + " did not start; its output:\n" + Files.readString(log(name)));
    }

    private Process child(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "--enable-native-access=ALL-UNNAMED"));
        command.addAll(Arrays.asList(System.getProperty("docclassify.hazelcast.opens", "").trim().split("\\s+")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        command.removeIf(String::isEmpty);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(name).toFile()).start();
        processes.add(process);
        return process;
    }

    private Path log(String name) {
        return temp.resolve(name + ".log");
    }

    private static int documents() throws IOException {
        try (var files = Files.walk(CORPUS)) {
            return (int) files.filter(Files::isRegularFile).count();
        }
    }

    private static long lines(Path results) {
        try {
            return Files.exists(results) ? Files.readAllLines(results).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static long paths(PgTestDatabase db) {
        try {
            return db.count("SELECT (SELECT count(*) FROM document_paths) + (SELECT count(*) FROM unread_paths)");
        } catch (java.sql.SQLException e) {
            return 0; // the tables do not exist before the submitter created them
        }
    }

    private static void waitFor(LongSupplier progress, long wanted, Process submitter, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline && submitter.isAlive()) {
            if (progress.getAsLong() >= wanted) {
                return;
            }
            submitter.waitFor(20, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("fewer than " + wanted + " " + what + " before "
                + (submitter.isAlive() ? "the deadline" : "the submitter exited with " + submitter.exitValue()));
    }

    /** The entries of the summary's members line, such as {@code 127.0.0.1:5701 123}. */
    private static List<String> perMember(String output) {
        Matcher m = MEMBER_LINE.matcher(output);
        return m.find() ? List.of(m.group(1).trim().split(", ")) : List.of();
    }
}
