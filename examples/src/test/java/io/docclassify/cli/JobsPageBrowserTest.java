package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docclassify.contract.MixedCorpus;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The jobs page of {@code doc-classify serve} in Debian's headless Chromium (set up as {@link DashboardBrowserTest}
 * does): a job submitted from the page is watched to the end, and another one is stopped with its button. The
 * screenshot is kept as {@code target/jobs-page.png}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JobsPageBrowserTest {

    @TempDir
    Path temp;

    @Test
    void aJobSubmittedFromThePage_isWatchedToTheEnd_andAnotherIsStoppedFromIt() throws Exception {
        assertThat(DashboardBrowserTest.CHROMEDRIVER)
                .as("Debian's chromium-driver (apt-get install chromium chromium-driver; .ci/run does)").isExecutable();
        Path root = Files.createDirectories(temp.resolve("root"));
        int files = MixedCorpus.create(root.resolve("small"), 12, 1);
        MixedCorpus.create(root.resolve("large"), 40, 0);
        WebDriver browser = null;
        try (ServiceFixture service = new ServiceFixture(temp, false, "--root", root.toString(), "--jobs-dir",
                temp.resolve("jobs").toString())) {
            browser = DashboardBrowserTest.chromium();
            browser.get(service.url() + "/jobs?refresh=200");
            browser.findElement(By.id("token")).sendKeys(ServiceFixture.TOKEN);
            browser.findElement(By.id("save-token")).click();

            submit(browser, "small", "rules");
            String small = lastJob(browser);
            service.gate.allow(4);
            awaitCell(browser, small, ".recorded", "4", "the page to show 4 records");
            awaitCell(browser, small, ".state", "running", "the job to show as running");
            service.gate.allow(files - 4);
            awaitCell(browser, small, ".state", "done", "the job to show as done");
            assertThat(cell(browser, small, ".recorded")).isEqualTo(String.valueOf(files));
            assertThat(cell(browser, small, ".documents")).isEqualTo(String.valueOf(files));
            assertThat(cell(browser, small, ".failed")).isEqualTo("1");
            assertThat(service.job(small).get("request").get("options").get("classifier").asText()).isEqualTo("rules");

            submit(browser, "large", "");
            String large = lastJob(browser);
            service.gate.allow(3);
            WebDriver page = browser;
            Awaitility.await("the second job to show records").atMost(60, TimeUnit.SECONDS)
                    .pollInterval(Duration.ofMillis(50)).until(() -> {
                        String recorded = cell(page, large, ".recorded");
                        return recorded != null && Long.parseLong(recorded) >= 3;
                    });
            // The page redraws its table every 200 ms: a WebDriver click between finding the button and
            // clicking it can meet a replaced button (and chromedriver then hung for 30 s in 3 of 5 runs
            // here); the click is dispatched inside the page instead, to the button as it is at that moment.
            Awaitility.await("the stop button to be clicked").atMost(30, TimeUnit.SECONDS)
                    .until(() -> (Boolean) ((JavascriptExecutor) page).executeScript(
                            "const b = document.querySelector(arguments[0]); if (b) { b.click(); } return b !== null;",
                            "tr[data-job='" + large + "'] button.stop"));
            service.open();
            awaitCell(browser, large, ".state", "stopped", "the second job to show as stopped");
            assertThat(Long.parseLong(cell(browser, large, ".recorded"))).as("stopped before its end").isLessThan(42);
            assertThat(browser.findElements(By.cssSelector("tr[data-job='" + large + "'] button.stop"))).isEmpty();
            assertThat(service.job(small).get("state").asText()).as("the other job is untouched").isEqualTo("done");

            File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), Path.of("target", "jobs-page.png"), StandardCopyOption.REPLACE_EXISTING);
            assertThat(DashboardBrowserTest.consoleProblems(browser)).as("console errors and warnings of the page").isEmpty();
        } finally {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    private static void submit(WebDriver browser, String input, String classifier) {
        browser.findElement(By.id("inputs")).clear();
        browser.findElement(By.id("inputs")).sendKeys(input);
        browser.findElement(By.id("classifier")).clear();
        browser.findElement(By.id("classifier")).sendKeys(classifier);
        String before = lastJobOrNull(browser);
        browser.findElement(By.id("submit")).click();
        Awaitility.await("the page to submit the job").atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    String now = lastJobOrNull(browser);
                    return now != null && !now.equals(before);
                });
        assertThat(browser.findElement(By.id("message")).getText()).isEmpty();
    }

    private static String lastJob(WebDriver browser) {
        return lastJobOrNull(browser);
    }

    private static String lastJobOrNull(WebDriver browser) {
        Object id = ((JavascriptExecutor) browser).executeScript(
                "return document.getElementById('message').dataset.lastJob || null;");
        return id == null ? null : id.toString();
    }

    /** The text of a cell of the job's row, read in one script (the page redraws every poll). */
    private static String cell(WebDriver browser, String job, String selector) {
        Object value = ((JavascriptExecutor) browser).executeScript("""
                const e = document.querySelector("tr[data-job='" + arguments[0] + "'] " + arguments[1]);
                return e === null ? null : e.textContent;
                """, job, selector);
        return value == null ? null : value.toString();
    }

    private static void awaitCell(WebDriver browser, String job, String selector, String expected, String what) {
        Awaitility.await(what).atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                .until(() -> expected.equals(cell(browser, job, selector)));
    }
}
