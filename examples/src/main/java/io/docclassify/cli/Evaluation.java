package io.docclassify.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Scores predictions against expected labels: accuracy, macro-F1, per-label precision, recall, F1
 * and support, and the confusion matrix.
 *
 * <p>Macro-F1 averages over the expected labels only: a prediction outside them (such as
 * {@code failed} or a fallback label) counts against the recall of the expected label and adds
 * a confusion-matrix column, but no label of its own to the average.
 */
record Evaluation(int documents, int correct, Map<String, Scores> perLabel, Map<String, Map<String, Integer>> confusion) {

    /** One expected label's figures. */
    record Scores(double precision, double recall, double f1, int support) {}

    static Evaluation of(List<String> expected, List<String> predicted) {
        if (expected.size() != predicted.size()) {
            throw new IllegalArgumentException(expected.size() + " expected labels for " + predicted.size() + " predictions");
        }
        Map<String, Map<String, Integer>> confusion = new TreeMap<>();
        TreeSet<String> columns = new TreeSet<>(expected);
        columns.addAll(predicted);
        for (String label : new TreeSet<>(expected)) {
            Map<String, Integer> row = new LinkedHashMap<>();
            columns.forEach(c -> row.put(c, 0));
            confusion.put(label, row);
        }
        int correct = 0;
        for (int i = 0; i < expected.size(); i++) {
            confusion.get(expected.get(i)).merge(predicted.get(i), 1, Integer::sum);
            correct += expected.get(i).equals(predicted.get(i)) ? 1 : 0;
        }
        Map<String, Scores> perLabel = new LinkedHashMap<>();
        for (String label : confusion.keySet()) {
            int tp = confusion.get(label).get(label);
            int support = confusion.get(label).values().stream().mapToInt(Integer::intValue).sum();
            int predictedAs = confusion.values().stream().mapToInt(row -> row.get(label)).sum();
            double precision = predictedAs == 0 ? 0 : (double) tp / predictedAs;
            double recall = support == 0 ? 0 : (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perLabel.put(label, new Scores(precision, recall, f1, support));
        }
        return new Evaluation(expected.size(), correct, perLabel, confusion);
    }

    double accuracy() {
        return documents == 0 ? 0 : (double) correct / documents;
    }

    double macroF1() {
        return perLabel.values().stream().mapToDouble(Scores::f1).average().orElse(0);
    }

    /** The figures as a table for the console. */
    String table() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "accuracy     %.4f (%d of %d)%n", accuracy(), correct, documents));
        s.append(String.format(Locale.ROOT, "macro-F1     %.4f%n%n", macroF1()));
        int width = Math.max(12, perLabel.keySet().stream().mapToInt(String::length).max().orElse(0) + 2);
        s.append(String.format(Locale.ROOT, "%-" + width + "s %9s %9s %9s %9s%n", "label", "precision", "recall", "F1",
                "support"));
        perLabel.forEach((label, v) -> s.append(String.format(Locale.ROOT, "%-" + width + "s %9.4f %9.4f %9.4f %9d%n",
                label, v.precision(), v.recall(), v.f1(), v.support())));
        s.append(String.format(Locale.ROOT, "%nconfusion matrix (rows: expected, columns: predicted)%n"));
        List<String> columns = confusion.values().iterator().next().keySet().stream().toList();
        int cell = Math.max(6, columns.stream().mapToInt(String::length).max().orElse(0) + 1);
        s.append(String.format(Locale.ROOT, "%-" + width + "s", ""));
        columns.forEach(c -> s.append(String.format(Locale.ROOT, " %" + cell + "s", c)));
        s.append(System.lineSeparator());
        confusion.forEach((label, row) -> {
            s.append(String.format(Locale.ROOT, "%-" + width + "s", label));
            row.values().forEach(n -> s.append(String.format(Locale.ROOT, " %" + cell + "d", n)));
            s.append(System.lineSeparator());
        });
        return s.toString();
    }

    /** The figures as JSON-ready maps. */
    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("documents", documents);
        json.put("correct", correct);
        json.put("accuracy", round(accuracy()));
        json.put("macroF1", round(macroF1()));
        Map<String, Object> labels = new LinkedHashMap<>();
        perLabel.forEach((label, v) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("precision", round(v.precision()));
            one.put("recall", round(v.recall()));
            one.put("f1", round(v.f1()));
            one.put("support", v.support());
            labels.put(label, one);
        });
        json.put("perLabel", labels);
        json.put("confusion", confusion);
        return json;
    }

    static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
