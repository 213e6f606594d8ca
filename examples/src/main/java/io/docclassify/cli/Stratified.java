package io.docclassify.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** A stratified hold-out: the same share of each label's items, chosen by a seed. */
final class Stratified {

    private Stratified() {}

    /**
     * Which items go to the held-out part: per label, {@code round(n * fraction)} of its {@code n}
     * items, at least one and never all when the label has 2 or more (a label with one item stays
     * in the first part). Deterministic for a seed: labels are visited in name order, each one's
     * items shuffled with one {@link Random} seeded once.
     */
    static boolean[] holdOut(List<String> labels, double fraction, long seed) {
        Map<String, List<Integer>> byLabel = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            byLabel.computeIfAbsent(labels.get(i), l -> new ArrayList<>()).add(i);
        }
        Random random = new Random(seed);
        boolean[] held = new boolean[labels.size()];
        for (List<Integer> items : byLabel.values()) {
            Collections.shuffle(items, random);
            int n = items.size();
            int k = n < 2 || fraction <= 0 ? 0 : Math.clamp(Math.round(n * fraction), 1, n - 1);
            for (int j = 0; j < k; j++) {
                held[items.get(j)] = true;
            }
        }
        return held;
    }
}
