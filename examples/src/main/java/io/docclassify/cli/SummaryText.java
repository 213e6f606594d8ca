package io.docclassify.cli;

import io.docclassify.RunReport;
import io.docclassify.classify.CascadeClassifier;
import io.docclassify.run.Durations;
import io.docclassify.spi.Classifier;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The summary printed after a run: outcomes, labels, volume, rates, and the projection to the users' target. */
final class SummaryText {

    static final long TARGET_DOCUMENTS = 500_000;
    static final long TARGET_PAGES = 5_000_000;

    private SummaryText() {}

    /** {@code concurrency} says how the engine ran documents at once, such as "2 workers" or "50 in flight". */
    static String format(RunReport report, String concurrency, String results, List<String> alerts) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%n%s %,d documents in %s (%s engine, %s)%n",
                report.stopped() ? "Stopped after" : "Classified", report.documents(),
                Durations.human(report.elapsed()), report.engine(), concurrency));
        line(s, "classified", report.classified(), counts(report.byLabel()));
        line(s, "failed", report.failed(), counts(report.failuresByReason()));
        line(s, "duplicates", report.duplicates(), "");
        if (report.resumed() > 0) {
            line(s, "skipped", report.resumed(), "already recorded by an earlier run");
        }
        s.append(String.format(Locale.ROOT, "  %-11s %,d (%,d MB)%s%n", "pages", report.pages(), report.bytes() / 1_000_000,
                report.ocrPages() > 0 ? String.format(Locale.ROOT, ", %,d of them OCRed", report.ocrPages()) : ""));
        s.append(String.format(Locale.ROOT, "  %-11s %s%n", "wall time", Durations.human(report.elapsed())));
        s.append(String.format(Locale.ROOT, "  %-11s %,.0f documents/hour, %,.0f pages/hour (%.1f pages/s)%n", "rate",
                report.documentsPerHour(), report.pagesPerSecond() * 3600, report.pagesPerSecond()));
        Duration docs = report.projectDocuments(TARGET_DOCUMENTS);
        Duration pages = report.projectPages(TARGET_PAGES);
        if (docs != null || pages != null) {
            s.append(String.format(Locale.ROOT, "  %-11s 500,000 documents: %s; 5,000,000 pages: %s (target: 1 week)%n",
                    "projection", docs == null ? "n/a" : Durations.human(docs), pages == null ? "n/a" : Durations.human(pages)));
        }
        if (report.abandonedExtractions() > 0) {
            s.append(String.format(Locale.ROOT, "  %-11s %d parses overran their budget and still run on their threads%n",
                    "abandoned", report.abandonedExtractions()));
        }
        s.append(String.format(Locale.ROOT, "  %-11s %s%n", "stage time", counts(report.stageMillis(), " ms")));
        for (String alert : alerts) {
            s.append(String.format(Locale.ROOT, "  %-11s %s%n", "ALERT", alert));
        }
        s.append(String.format(Locale.ROOT, "  %-11s %s%n", "results", results));
        if (report.stopped()) {
            s.append("  Continue with the same command plus --resume.\n");
        }
        return s.toString();
    }

    /**
     * For a cascade, the share of documents it sent to the LLM and the LLM's time (summed over calls
     * in flight at once); an empty string for other classifiers.
     */
    static String cascade(Classifier classifier) {
        if (!(classifier instanceof CascadeClassifier c) || c.classified() == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "  %-11s %,d of %,d classified documents (%.1f %%) had a confidence below %.2f"
                + " and went to the LLM; LLM time %s%n", "escalated", c.escalated(), c.classified(),
                100.0 * c.escalated() / c.classified(), c.escalateBelow(),
                Durations.human(Duration.ofNanos(c.secondNanos())));
    }

    private static void line(StringBuilder s, String name, long count, String detail) {
        s.append(String.format(Locale.ROOT, "  %-11s %,d%s%n", name, count, detail.isEmpty() ? "" : "  (" + detail + ")"));
    }

    private static String counts(Map<String, Long> counts) {
        return counts(counts, "");
    }

    private static String counts(Map<String, Long> counts, String unit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> String.format(Locale.ROOT, "%s %,d%s", e.getKey(), e.getValue(), unit))
                .collect(Collectors.joining(", "));
    }
}
