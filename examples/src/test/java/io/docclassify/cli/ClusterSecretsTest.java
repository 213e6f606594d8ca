package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentRecord;
import io.docclassify.llm.LoopbackLlmServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An API key stays on the member that reads it (issue 19, done-when 3): a cluster run with the openai
 * classifier, every logger of the member and the submitter at DEBUG, and all traffic between them through
 * a recording proxy; the key is in no log line and in none of the bytes that carried tasks and results.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterSecretsTest {

    @TempDir
    Path temp;

    @Test
    void anApiKey_fromTheMembersEnvironment_isUsed_butNeverLoggedNorSentOverTheWire() throws Exception {
        String secret = "sk-test-" + UUID.randomUUID();
        String cluster = "secrets-" + UUID.randomUUID();
        List<Path> inputs = ClusterLlmTest.documents(6);
        Path results = temp.resolve("results.jsonl");
        Path logback = temp.resolve("logback-debug.xml");
        // Every logger at DEBUG, Hazelcast's included: the CLI's -v flags keep some third-party loggers quieter.
        Files.writeString(logback, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%level %logger %msg%n%ex</pattern></encoder>
                  </appender>
                  <root level="DEBUG"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        List<String> debug = List.of("-Dlogback.configurationFile=" + logback);
        int port = ClusterLlmTest.freePort();
        try (LoopbackLlmServer server = new LoopbackLlmServer(ClusterLlmTest::labelByText);
                ChildCli children = new ChildCli(temp)) {
            children.start("member", List.of(), Map.of("OPENAI_API_KEY", secret), debug, "node", "--cluster-name", cluster,
                    "--port", Integer.toString(port), "-w", "2");
            children.awaitMember("member");
            try (RecordingProxy proxy = new RecordingProxy(new InetSocketAddress("127.0.0.1", port))) {
                Map<String, String> noKey = new HashMap<>();
                noKey.put("OPENAI_API_KEY", null);
                List<String> args = new ArrayList<>(List.of("classify"));
                inputs.forEach(input -> args.add(input.toString()));
                args.addAll(List.of("-o", results.toString(), "--engine", "hazelcast", "--members", proxy.address(),
                        "--cluster-name", cluster, "--classifier", "openai", "--llm-url", server.baseUrl(), "--llm-model",
                        "stand-in:1b", "--no-progress"));
                Process submitter = children.start("submitter", List.of(), noKey, debug, args.toArray(String[]::new));
                assertThat(submitter.waitFor(150, TimeUnit.SECONDS)).as("the run finishes").isTrue();
                assertThat(submitter.exitValue()).as("exit code; output:%n%s", children.outputs()).isZero();

                List<DocumentRecord> records = CliTest.records(results);
                assertThat(records).hasSize(inputs.size()).allSatisfy(r -> assertThat(r.label()).isNotNull());
                assertThat(server.received()).as("requests the member sent, with the key of its own environment")
                        .hasSize(inputs.size()).allSatisfy(call -> assertThat(call.authorization()).isEqualTo("Bearer " + secret));
                assertThat(proxy.carried("OPENAI_API_KEY")).as("the spec, naming the key's variable, went through the proxy")
                        .isTrue();
                assertThat(proxy.carried(inputs.get(0).toString())).as("a task went through the proxy").isTrue();
                assertThat(proxy.carried(records.get(0).sha256())).as("a result went through the proxy").isTrue();
                assertThat(proxy.carried(secret)).as("the key in the %,d bytes between submitter and member", proxy.bytes())
                        .isFalse();
            }
            String member = children.output("member");
            String submitter = children.output("submitter");
            assertThat(member).as("the member logs Hazelcast at DEBUG").contains("DEBUG com.hazelcast");
            assertThat(member + submitter).as("log lines of the member and the submitter").doesNotContain(secret);
            assertThat(Files.readString(results)).doesNotContain(secret);
        }
    }
}
