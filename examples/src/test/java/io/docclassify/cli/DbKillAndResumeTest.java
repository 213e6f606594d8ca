package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.contract.Corpus;
import io.docclassify.sink.PgTestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, done-when 3: a child JVM classifying into PostgreSQL is killed with SIGKILL at random points and
 * resumed; at the end the database holds one row per distinct content and every path once.
 *
 * <p>The kill points come from a seeded {@link Random}: {@code -DkillSeed=N} repeats a run; the seed is printed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DbKillAndResumeTest {

    private static final String PATHS =
            "SELECT (SELECT count(*) FROM document_paths) + (SELECT count(*) FROM unread_paths)";

    @TempDir
    Path temp;

    @Test
    void killedWithSigkillThreeTimes_thenResumed_storesEachContentOnce_andEveryPath() throws Exception {
        Path corpus = Corpus.root().resolve("throughput_pdfs_papers_we_love/docs");
        List<Path> files;
        try (var walk = Files.walk(corpus)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        Set<String> contents = new HashSet<>();
        for (Path file : files) {
            contents.add(sha256(file));
        }
        long seed = Long.getLong("killSeed", 20240604L);
        Random random = new Random(seed);
        System.out.println("DbKillAndResumeTest: kill seed " + seed + " (repeat with -DkillSeed=" + seed + ")");

        try (PgTestDatabase db = PgTestDatabase.create()) {
            for (int kill = 0; kill < 3; kill++) {
                long before = paths(db);
                int after = 1 + random.nextInt(6);
                Process child = start(corpus, db.url(), kill > 0);
                waitForRows(db, before + after, child);
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no end of run
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                System.out.printf("DbKillAndResumeTest: kill %d after %d new path rows (%d in all)%n", kill + 1, after,
                        db.count(PATHS));
            }
            assertThat(db.count(PATHS)).as("the kills came before the end").isLessThan(files.size());

            Process last = start(corpus, db.url(), true);
            assertThat(last.waitFor(120, TimeUnit.SECONDS)).as("the resumed run finishes").isTrue();
            assertThat(last.exitValue()).as("exit code; output:%n%s", output()).isZero();

            assertThat(db.count("SELECT count(*) FROM documents")).as("one row per distinct content")
                    .isEqualTo(contents.size());
            assertThat(db.count("SELECT count(DISTINCT sha256) FROM documents WHERE sha256 = ANY (SELECT sha256 FROM"
                    + " document_paths)")).isEqualTo(contents.size());
            assertThat(db.count(PATHS)).as("every path once").isEqualTo(files.size());
            assertThat(db.count("SELECT count(DISTINCT path) FROM (SELECT path FROM document_paths UNION ALL"
                    + " SELECT path FROM unread_paths) p")).isEqualTo(files.size());
            assertThat(db.count("SELECT count(*) FROM runs")).isEqualTo(4);
        }
    }

    private Process start(Path corpus, String url, boolean resume) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "classify", corpus.toString(),
                "--db", url, "--batch-size", "1", "-w", "2", "--no-progress"));
        if (resume) {
            command.add("--resume");
        }
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve("child-" + System.nanoTime() + ".log").toFile()).start();
    }

    private static void waitForRows(PgTestDatabase db, long wanted, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && child.isAlive()) {
            if (paths(db) >= wanted) {
                return;
            }
            child.waitFor(20, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("the child recorded fewer than " + wanted + " paths before "
                + (child.isAlive() ? "the deadline" : "exiting with " + child.exitValue()));
    }

    /** Path rows so far; 0 before the first child created the tables. */
    private static long paths(PgTestDatabase db) throws java.sql.SQLException {
        try {
            return db.count(PATHS);
        } catch (java.sql.SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0;
            }
            throw e;
        }
    }

    private String output() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var logs = Files.list(temp)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("child-")).sorted().toList()) {
                all.append(Files.readString(log)).append('\n');
            }
        }
        return all.toString();
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
