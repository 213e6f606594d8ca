package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docclassify.contract.MixedCorpus;
import io.docclassify.run.RunMonitor;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@code classify --status-port} and the {@code --alert-*} thresholds: the alert in the summary, its JSON and the log. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CliStatusOptionsTest extends InProcessCli {

    @TempDir
    Path temp;

    @Test
    void failingShareOverThreshold_isInTheSummaryItsJsonAndTheLog() throws Exception {
        int files = MixedCorpus.create(temp.resolve("in"), 30, 4);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(RunMonitor.class);
        log.start();
        logger.addAppender(log);
        try {
            assertThat(run("classify", temp.resolve("in").toString(), "--classifier", "rules", "--no-progress",
                    "-o", temp.resolve("out.jsonl").toString(), "--summary", temp.resolve("summary.json").toString(),
                    "--status-port", "0")).as("exit code; stderr: %s", err).isZero();
        } finally {
            logger.detachAppender(log);
        }
        String alert = "failure rate 11.1% (4 of " + files + " documents) is over 5.0%";
        assertThat(out.toString()).contains("  ALERT       " + alert);
        assertThat(err.toString()).containsPattern("status page: http://127\\.0\\.0\\.1:\\d+/");
        JsonNode summary = new ObjectMapper().readTree(temp.resolve("summary.json").toFile());
        assertThat(summary.get("alerts").get(0).asText()).isEqualTo(alert);
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(line -> line.startsWith("Alert: failure rate "))
                .contains("Alerts during the run: " + alert);
    }

    @Test
    void aHigherThreshold_keepsTheAlertOff() throws Exception {
        MixedCorpus.create(temp.resolve("in"), 30, 4);
        assertThat(run("classify", temp.resolve("in").toString(), "--classifier", "rules", "--no-progress",
                "-o", temp.resolve("out.jsonl").toString(), "--alert-failure-rate", "20")).as("stderr: %s", err).isZero();
        assertThat(out.toString()).contains("failed      4").doesNotContain("ALERT");
    }

    @Test
    void badStatusAndAlertOptions_areRejectedWithHints() {
        String x = temp.toString();
        assertThat(run("classify", x, "--status-port", "70000")).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("--status-port must be from 0 to 65535 (0 picks a free port), got 70000");
        assertThat(run("classify", x, "--alert-failure-rate", "150")).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("--alert-failure-rate must be a percentage from 0 to 100, got 150.0");
        assertThat(run("classify", x, "--alert-worker-memory", "lots")).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("--alert-worker-memory must be a number with an optional unit");
        assertThat(run("classify", x, "--status-port", "0", "--status-bind", "no-such-host.invalid"))
                .isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("--status-bind 'no-such-host.invalid' is not an address of this machine");
    }
}
