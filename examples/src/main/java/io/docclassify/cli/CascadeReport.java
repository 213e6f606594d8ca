package io.docclassify.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a cascade would leave to its first classifier: for each confidence threshold, the share of
 * documents whose confidence reaches it (decided without the LLM) and the accuracy on those; and,
 * for results of a real cascade run, the documents and accuracy per deciding stage.
 */
final class CascadeReport {

    /** One scored document: its expected and predicted labels, confidence, and deciding stage (or null). */
    record Scored(String expected, String predicted, double confidence, String decidedBy) {}

    /** One threshold's figures. */
    record Row(double threshold, int decided, int correct, int total) {
        double share() {
            return total == 0 ? 0 : (double) decided / total;
        }

        double accuracy() {
            return decided == 0 ? 0 : (double) correct / decided;
        }
    }

    private CascadeReport() {}

    static List<Row> rows(List<Scored> documents, List<Double> thresholds) {
        List<Row> rows = new ArrayList<>();
        for (double t : thresholds) {
            int decided = 0;
            int correct = 0;
            for (Scored d : documents) {
                if (d.confidence() >= t) {
                    decided++;
                    correct += d.expected().equals(d.predicted()) ? 1 : 0;
                }
            }
            rows.add(new Row(t, decided, correct, documents.size()));
        }
        return rows;
    }

    static String table(List<Row> rows) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "%nescalate-below  decided without the LLM  accuracy on those  escalated%n"));
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "%14.2f  %,9d (%5.1f %%)        %.4f             %,d%n", r.threshold(),
                    r.decided(), 100 * r.share(), r.accuracy(), r.total() - r.decided()));
        }
        return s.toString();
    }

    /** Documents and accuracy per deciding stage; empty when no result names one. */
    static Map<String, int[]> byStage(List<Scored> documents) {
        Map<String, int[]> stages = new TreeMap<>();
        for (Scored d : documents) {
            if (d.decidedBy() != null) {
                int[] counts = stages.computeIfAbsent(d.decidedBy(), k -> new int[2]);
                counts[0]++;
                counts[1] += d.expected().equals(d.predicted()) ? 1 : 0;
            }
        }
        return stages;
    }

    static String stageTable(Map<String, int[]> stages, int total) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%ndecided by    documents  share     accuracy%n"));
        stages.forEach((stage, c) -> s.append(String.format(Locale.ROOT, "%-12s %,10d  %5.1f %%   %.4f%n", stage, c[0],
                100.0 * c[0] / total, (double) c[1] / c[0])));
        return s.toString();
    }

    static List<Map<String, Object>> json(List<Row> rows) {
        List<Map<String, Object>> json = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("escalateBelow", r.threshold());
            one.put("decided", r.decided());
            one.put("share", Evaluation.round(r.share()));
            one.put("accuracyOnDecided", Evaluation.round(r.accuracy()));
            one.put("escalated", r.total() - r.decided());
            json.add(one);
        }
        return json;
    }
}
