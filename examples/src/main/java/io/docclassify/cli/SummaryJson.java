package io.docclassify.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.docclassify.DocumentClassifier;
import io.docclassify.RunReport;
import io.docclassify.classify.CascadeClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a run's report as JSON, for scripts that watch or compare runs. */
final class SummaryJson {

    private SummaryJson() {}

    static void write(RunReport report, DocumentClassifier classifier, Path file, List<String> alerts) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("engine", report.engine());
        json.put("workers", classifier.workers());
        json.put("maxConcurrent", classifier.maxConcurrent());
        json.put("classifier", classifier.classifier().id());
        json.put("startedAt", report.startedAt().toString());
        json.put("elapsedSeconds", report.elapsed().toMillis() / 1000.0);
        json.put("documents", report.documents());
        json.put("classified", report.classified());
        json.put("failed", report.failed());
        json.put("duplicates", report.duplicates());
        json.put("skipped", report.resumed());
        json.put("pages", report.pages());
        json.put("ocrPages", report.ocrPages());
        json.put("bytes", report.bytes());
        json.put("documentsPerHour", Math.round(report.documentsPerHour()));
        json.put("pagesPerSecond", Math.round(report.pagesPerSecond() * 10) / 10.0);
        json.put("byLabel", report.byLabel());
        json.put("failuresByReason", report.failuresByReason());
        json.put("stageMillis", report.stageMillis());
        json.put("stopped", report.stopped());
        json.put("abandonedExtractions", report.abandonedExtractions());
        if (classifier.classifier() instanceof CascadeClassifier cascade) {
            json.put("escalated", cascade.escalated());
            json.put("escalateBelow", cascade.escalateBelow());
            json.put("llmSeconds", Math.round(cascade.secondNanos() / 1e6) / 1000.0);
        }
        json.put("alerts", alerts);
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".summary", ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(temp.toFile(), json);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
