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

    /** A few hundred real documents: contracts and invoices (PDF), news articles (text). */
    private static final List<Path> FOLDERS = List.of(Corpus.root().resolve("business_docs/docs/contract"),
            Corpus.root().resolve("business_docs/docs/invoice"), Corpus.root().resolve("bbc_news/docs/tech"));
    private static final int NEWS_ARTICLES = 200;
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
    void aMemberKilledMidway_losesNoDocument_andRecordsNoneTwice_inJsonLines_andAJoiningMemberTakesWork() throws Exception {
        List<String> members = startMembers(3);
        Path results = temp.resolve("results.jsonl");
        Process submitter = child("submitter", "classify", "--manifest", manifest().toString(), "-o", results.toString(),
                "--engine", "hazelcast", "--members", String.join(",", members), "--cluster-name", cluster,
                "--classifier", "rules", "--chunk-size", "4", "--batch-size", "1", "--no-progress");
        int documents = documents();
        // Started with the run, it joins while the run goes on (a member takes seconds to start).
        String joinerName = launchMember(freeAddress(), List.of(members.get(0)));
        waitFor(() -> lines(results), documents / 5, submitter, "records before the kill");
        processes.get(1).destroyForcibly(); // SIGKILL: the member dies with chunks in flight
        assertThat(processes.get(1).waitFor(30, TimeUnit.SECONDS)).isTrue();
        long beforeKill = lines(results);
        String joined = awaitMember(joinerName);
        assertThat(lines(results)).as("the new member joined mid-run").isLessThan(documents);

        assertThat(submitter.waitFor(240, TimeUnit.SECONDS)).as("the run finishes").isTrue();
        String output = Files.readString(log("submitter"));
        assertThat(submitter.exitValue()).as("exit code; output:%n%s", output).isZero();
        List<DocumentRecord> records = CliTest.records(results);
        assertThat(records).extracting(DocumentRecord::path).as("no document recorded twice").doesNotHaveDuplicates();
        assertThat(records).as("every document recorded").hasSize(documents);
        assertThat(beforeKill).as("the kill came midway").isLessThan(documents);
        assertThat(output).as("the submitter noticed the death").contains("Member [" + members.get(1).replace(":", "]:") + " left");
        List<String> counts = perMember(output);
        assertThat(counts.stream().mapToLong(ClusterKillTest::count).sum()).as("per-member counts add up; output:%n%s",
                output).isEqualTo(documents);
        assertThat(counts.stream().filter(e -> e.startsWith(joined + " ")).mapToLong(ClusterKillTest::count).sum())
                .as("documents of the member that joined mid-run; output:%n%s", output).isPositive();
    }

    @Test
    void aMemberKilledMidway_losesNoDocument_inPostgresql() throws Exception {
        try (PgTestDatabase db = PgTestDatabase.create()) {
            List<String> members = startMembers(3);
            Process submitter = child("submitter", "classify", "--manifest", manifest().toString(), "--db", db.url(),
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

    /** Starts {@code count} member processes at once, each listing all of them, and returns their addresses. */
    private List<String> startMembers(int count) throws Exception {
        List<String> planned = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            planned.add(freeAddress());
        }
        List<String> names = new ArrayList<>();
        for (String address : planned) {
            names.add(launchMember(address, planned));
        }
        List<String> started = new ArrayList<>();
        for (String name : names) {
            started.add(awaitMember(name));
        }
        return started;
    }

    private static String freeAddress() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }

    private String launchMember(String address, List<String> join) throws IOException {
        String name = "member-" + processes.size();
        child(name, "node", "--cluster-name", cluster, "--port", address.substring(address.indexOf(':') + 1), "-w", "1",
                "--members", String.join(",", join));
        return name;
    }

    private String awaitMember(String name) throws Exception {
        Process member = processes.get(Integer.parseInt(name.substring("member-".length())));
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

    private static long count(String entry) {
        return Long.parseLong(entry.substring(entry.lastIndexOf(' ') + 1).replace(",", ""));
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

    /** The run's documents, listed in a manifest. */
    private Path manifest() throws IOException {
        Path manifest = temp.resolve("manifest.csv");
        if (!Files.exists(manifest)) {
            List<String> lines = new ArrayList<>(List.of("path"));
            for (Path folder : FOLDERS) {
                try (var files = Files.walk(folder)) {
                    files.filter(Files::isRegularFile).sorted()
                            .limit(folder.endsWith("tech") ? NEWS_ARTICLES : Long.MAX_VALUE)
                            .forEach(file -> lines.add(file.toAbsolutePath().toString()));
                }
            }
            Files.write(manifest, lines);
        }
        return manifest;
    }

    private int documents() throws IOException {
        return Files.readAllLines(manifest()).size() - 1;
    }

    private static long lines(Path results) {
        try {
            return Files.exists(results) ? Files.readAllLines(results).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Path rows the submitter has written, 0 before it created its tables. */
    static long paths(PgTestDatabase db) {
        try {
            return db.count("SELECT (SELECT count(*) FROM document_paths) + (SELECT count(*) FROM unread_paths)");
        } catch (java.sql.SQLException e) {
            return 0; // the tables do not exist before the submitter created them
        }
    }

    /** Waits, up to 180 s and while the submitter lives, until {@code progress} reaches {@code wanted}. */
    static void waitFor(LongSupplier progress, long wanted, Process submitter, String what) throws Exception {
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
