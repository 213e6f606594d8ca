package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way a command can fail to start ends in one line that says what to do, and the exit code the README's
 * table gives it; the stack trace only with {@code -v}. ({@code DistributionIT} checks the same on the console of
 * the unpacked archive, where the third-party loggers also write.)
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StartFailureCliTest extends InProcessCli {

    @TempDir
    Path temp;

    private String[] classify(String... more) {
        List<String> args = new ArrayList<>(List.of("classify", CliTest.SAMPLE_DOCS.toString(), "--no-progress",
                "--classifier", "rules"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void databaseUnreachable_exits4_inOneLine() throws IOException {
        int code = run(classify("--db", "jdbc:postgresql://127.0.0.1:" + freePort() + "/docs?user=postgres"));

        assertThat(code).as("stderr: %s", err).isEqualTo(StartFailure.DATABASE);
        assertOneLine().contains("cannot open the results database").contains("refused").contains("check that PostgreSQL runs");
    }

    @Test
    void databaseRefusing_exits4_inOneLine() {
        String url = System.getenv().getOrDefault("DOCCLASSIFY_TEST_JDBC_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres").replaceFirst("/[^/?]+(\\?|$)", "/no_such_database_20$1");

        int code = run(classify("--db", url));

        assertThat(code).as("stderr: %s", err).isEqualTo(StartFailure.DATABASE);
        assertOneLine().contains("no_such_database_20").contains("does not exist");
    }

    @Test
    void statusPortTaken_exits5_inOneLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int code = run(classify("-o", temp.resolve("r.jsonl").toString(), "--status-port",
                    String.valueOf(taken.getLocalPort())));

            assertThat(code).as("stderr: %s", err).isEqualTo(StartFailure.PORT);
            assertOneLine().contains(String.valueOf(taken.getLocalPort())).contains("choose another");
        }
    }

    @Test
    void clusterMemberUnreachable_exits6_inOneLine() throws IOException {
        int port = freePort();
        int code = run(classify("-o", temp.resolve("r.jsonl").toString(), "--engine", "hazelcast", "--members",
                "127.0.0.1:" + port, "--cluster-name", "start-failure-" + port));

        assertThat(code).as("stderr: %s", err).isEqualTo(StartFailure.MEMBERS);
        assertOneLine().contains("no member of cluster").contains("127.0.0.1:" + port).contains("doc-classify node");
        assertThat(temp.resolve("r.jsonl")).as("nothing was recorded, so no --resume is needed").satisfiesAnyOf(
                p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());
    }

    @Test
    void inputMissing_exits3_inOneLine() {
        int code = run("classify", temp.resolve("nowhere").toString(), "-o", temp.resolve("r.jsonl").toString());

        assertThat(code).isEqualTo(StartFailure.INPUT);
        assertOneLine().contains("nowhere does not exist; check the path");
    }

    @Test
    void manifestThatIsAFolder_exits3_inOneLine() {
        int code = run("classify", "--manifest", temp.toString(), "-o", temp.resolve("r.jsonl").toString());

        assertThat(code).isEqualTo(StartFailure.INPUT);
        assertOneLine().contains("manifest " + temp).contains("is not a file");
    }

    @Test
    void unknownOption_printsTheMessage_andWhereTheUsageIs_notTheUsage() {
        int code = run("classify", "sample-docs", "--bogus");

        assertThat(code).isEqualTo(Main.USAGE);
        assertThat(err.toString().lines().toList())
                .containsExactly("doc-classify: Unknown option: '--bogus'", "see 'doc-classify help classify'");
    }

    @Test
    void misspelledCommand_suggestsTheRightOne() {
        int code = run("clasify", "sample-docs");

        assertThat(code).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("did you mean: classify").contains("see 'doc-classify help'")
                .doesNotContain("Usage:");
    }

    @Test
    void verbose_addsTheStackTrace() throws IOException {
        int code = run(classify("-v", "--db", "jdbc:postgresql://127.0.0.1:" + freePort() + "/docs?user=postgres"));

        assertThat(code).isEqualTo(StartFailure.DATABASE);
        assertThat(err.toString()).startsWith("doc-classify: cannot open the results database").contains("\tat ");
    }

    @Test
    void anUnexpectedError_isOneLine_pointingAtMinusV() {
        StartFailure failure = StartFailure.of(new IllegalStateException("boom"));

        assertThat(failure.exitCode()).isEqualTo(StartFailure.INTERNAL);
        assertThat(failure.getMessage()).contains("IllegalStateException: boom").contains("rerun with -v");
    }

    @Test
    void help_listsTheExitCodes() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("Exit codes:")
                .containsPattern("(?m)^  4 +the results database cannot be reached or refuses$")
                .containsPattern("(?m)^  6 +no cluster member answered$");
    }

    /** Asserts that standard error holds one line and no stack trace; returns that line for more checks. */
    private org.assertj.core.api.AbstractStringAssert<?> assertOneLine() {
        List<String> lines = err.toString().lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).as("standard error").hasSize(1);
        assertThat(lines.getFirst()).startsWith("doc-classify: ");
        return assertThat(lines.getFirst());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
