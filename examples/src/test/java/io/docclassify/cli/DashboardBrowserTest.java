package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.DocumentClassifier;
import io.docclassify.RunReport;
import io.docclassify.contract.CollectingSink;
import io.docclassify.contract.MixedCorpus;
import io.docclassify.contract.SteppedClassifier;
import io.docclassify.run.AlertThresholds;
import io.docclassify.run.RunMetrics;
import io.docclassify.run.RunMonitor;
import io.docclassify.run.StatusServer;
import io.docclassify.source.DocumentSources;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs): it loads without console errors, its progress advances as the run goes,
 * and the failure-rate alert lights for a run where more than 5% of the documents fail. The screenshot
 * is kept as {@code target/dashboard.png}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DashboardBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path temp;

    @Test
    void dashboard_showsProgressAdvancing_andLightsTheFailureRateAlert() throws Exception {
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver (apt-get install chromium chromium-driver; .ci/run does)")
                .isExecutable();
        Path input = temp.resolve("in");
        int files = MixedCorpus.create(input, 30, 4);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RunMetrics metrics = RunMetrics.on(registry);
        RunMonitor monitor = new RunMonitor(metrics, AlertThresholds.defaults(), "local", 2);
        SteppedClassifier gate = new SteppedClassifier();
        WebDriver browser = null;
        try (DocumentClassifier classifier = DocumentClassifier.builder().engine("local").workers(2).chunkSize(2)
                .classifier(gate).metrics(metrics).listener(monitor).build();
                StatusServer server = StatusServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        registry, monitor)) {
            browser = chromium();
            monitor.total(files);
            CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return classifier.run(DocumentSources.directory(input, false), new CollectingSink());
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            browser.get(server.url() + "?refresh=200");

            gate.allow(5);
            long first = settle(gate, monitor, 5);
            WebDriver page = browser;
            awaitText(() -> read(page, "#done", "textContent"), String.valueOf(first), "first progress");
            assertThat(read(page, "#state", "textContent")).isEqualTo("running");
            double firstWidth = barWidth(page);

            gate.allow(10);
            long second = settle(gate, monitor, 15);
            assertThat(second).isGreaterThan(first);
            awaitText(() -> read(page, "#done", "textContent"), String.valueOf(second), "progress to advance");
            assertThat(barWidth(page)).as("the progress bar grows").isGreaterThan(firstWidth);

            gate.openFully();
            RunReport report = run.get(120, TimeUnit.SECONDS);
            assertThat(report.failed()).isEqualTo(4);
            awaitText(() -> read(page, "#state", "textContent"), "finished", "the run to show as finished");
            awaitText(() -> read(page, "[data-alert=failure_rate]", "className"), "on",
                    "the failure-rate alert to light");
            assertThat(read(page, "[data-alert=failure_rate]", "textContent"))
                    .contains("failure rate 11.1% (4 of 36 documents) is over 5.0%");
            assertThat(read(page, "[data-alert=queue_depth]", "className")).isEqualTo("off");
            assertThat(read(page, "#done", "textContent")).isEqualTo(String.valueOf(files));
            assertThat(read(page, "#failures", "textContent")).contains("truncated-", "extract/parse_error");
            assertThat(read(page, "#labels", "textContent")).isNotBlank();
            assertThat(read(page, "#chart path.line", "tagName")).isEqualTo("path");

            File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
            Path target = Path.of("target", "dashboard.png");
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(target)).isPositive();

            assertThat(consoleProblems(browser)).as("console errors and warnings of the page").isEmpty();
        } finally {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    /** Waits until both workers wait at the gate with {@code classified} documents classified; returns documents done. */
    private static long settle(SteppedClassifier gate, RunMonitor monitor, long classified) throws InterruptedException {
        StatusServerDatabaseTest.await(() -> gate.waiting() == 2 && ((Number) monitor.snapshot().get("classified")).longValue() == classified,
                "both workers at the gate after " + classified + " classifications");
        return ((Number) monitor.snapshot().get("done")).longValue();
    }

    private static double barWidth(WebDriver page) {
        String width = read(page, "#progress-bar", "style.width");
        return Double.parseDouble(width.replace("%", ""));
    }

    /**
     * A property of the element {@code selector} finds, read in one script: the page redraws every poll, so an
     * element found in one call may be replaced before the next. {@code null} when no element matches.
     */
    private static String read(WebDriver page, String selector, String property) {
        Object value = ((JavascriptExecutor) page).executeScript("""
                const e = document.querySelector(arguments[0]);
                return e === null ? null : String(arguments[1].split('.').reduce((o, k) => o[k], e));
                """, selector, property);
        return value == null ? null : value.toString();
    }

    private static void awaitText(Supplier<String> text, String expected, String what) throws InterruptedException {
        StatusServerDatabaseTest.await(() -> expected.equals(text.get()),
                what + " (page shows '" + text.get() + "', expected '" + expected + "')");
    }

    /** The page's console messages of level WARNING and above. */
    static List<LogEntry> consoleProblems(WebDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    }

    static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1500",
                "--disable-gpu");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // Debian's driver, matching Debian's browser; Selenium Manager would try to download one.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        return new ChromeDriver(options);
    }
}
