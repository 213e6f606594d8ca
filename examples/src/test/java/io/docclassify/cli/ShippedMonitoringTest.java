package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docclassify.DocumentClassifier;
import io.docclassify.RunReport;
import io.docclassify.classify.RulesClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.run.AlertThresholds;
import io.docclassify.run.RunMetrics;
import io.docclassify.run.RunMonitor;
import io.docclassify.run.Scrape;
import io.docclassify.run.StatusServer;
import io.docclassify.sink.JdbcResultSink;
import io.docclassify.sink.PgTestDatabase;
import io.docclassify.source.DocumentSources;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@code conf/} ships for monitoring fits what a run exposes: the Prometheus alert rules pass
 * {@code promtool check rules} (Debian's {@code prometheus} package; {@code .ci/run} installs it), and every meter
 * that the rules and the Grafana dashboard query, and that has HELP text, is in a real {@code /metrics} scrape of a
 * run into PostgreSQL with the command line's meters.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ShippedMonitoringTest {

    static final Path CONF = Path.of("src/dist/conf");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    /** Meter names in PromQL: every name the project or its libraries expose starts with one of these. */
    private static final Pattern METER = Pattern.compile(
            "\\b((?:docclassify|hikaricp|jvm|process|system)_[a-z0-9_]+)\\b");

    private static String scrape;

    @BeforeAll
    @SuppressWarnings("try") // the GC meters are a resource only so that their listener ends with the run
    static void scrapeARun() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RunMetrics metrics = RunMetrics.on(registry);
        RunMonitor monitor = new RunMonitor(metrics, AlertThresholds.defaults(), "local", 2);
        try (PgTestDatabase db = PgTestDatabase.create();
                JvmGcMetrics gc = Runner.bindJvmMetrics(registry);
                DocumentClassifier classifier = DocumentClassifier.builder().engine("local").workers(2)
                        .classifier(new RulesClassifier(Taxonomy.builtIn())).metrics(metrics).listener(monitor).build();
                JdbcResultSink sink = JdbcResultSink.builder(db.url()).metrics(metrics).run("local", "{}").build();
                StatusServer server = StatusServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        registry, monitor)) {
            RunReport report = classifier.run(DocumentSources.directory(CliTest.SAMPLE_DOCS, false), sink);
            assertThat(report.failed()).as("the sample documents include a broken one").isPositive();
            sink.flush();
            scrape = Scrape.get(server.url() + "metrics").body();
        }
    }

    @Test
    void promtool_acceptsTheAlertRules() throws IOException, InterruptedException {
        assertThat(PROMTOOL).as("promtool, from Debian's prometheus package (apt-get install prometheus; .ci/run does)")
                .isExecutable();
        Process promtool = new ProcessBuilder(PROMTOOL.toString(), "check", "rules",
                CONF.resolve("prometheus-alerts.yml").toString()).redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor()).as("promtool check rules says:%n%s", output).isZero();
        assertThat(output).contains("SUCCESS: 5 rules found");
    }

    @Test
    void alertRules_useOnlyMetersTheRunExposes() throws IOException {
        assertThat(missing(meters(Files.readString(CONF.resolve("prometheus-alerts.yml")))))
                .as("meters the alert rules query that /metrics does not have").isEmpty();
    }

    @Test
    void grafanaDashboard_usesOnlyMetersTheRunExposes() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(CONF.resolve("grafana-dashboard.json").toFile());
        List<String> queries = new ArrayList<>();
        dashboard.get("panels").forEach(panel -> panel.get("targets").forEach(t -> queries.add(t.get("expr").asText())));
        Set<String> used = meters(String.join("\n", queries));
        assertThat(used).as("the dashboard's meters").hasSizeGreaterThan(10)
                .contains("docclassify_documents_total", "hikaricp_connections_active");
        assertThat(missing(used)).as("meters the dashboard queries that /metrics does not have").isEmpty();
    }

    @Test
    void everyMeter_hasHelpText() {
        List<String> help = scrape.lines().filter(line -> line.startsWith("# HELP ")).toList();
        assertThat(help).as("HELP lines of the scrape").hasSizeGreaterThan(20);
        assertThat(help).as("meters whose HELP text is empty")
                .filteredOn(line -> line.split(" ", 4).length < 4 || line.split(" ", 4)[3].isBlank()).isEmpty();
    }

    /** The meter names in {@code promql}, without the label_values() of template variables. */
    private static Set<String> meters(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher m = METER.matcher(promql);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static Set<String> missing(Set<String> names) {
        Set<String> exposed = scrape.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
        return names.stream().filter(name -> !exposed.contains(name)).collect(Collectors.toCollection(TreeSet::new));
    }
}
