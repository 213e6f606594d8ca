package io.docclassify.classify;

import java.util.Arrays;

/**
 * Turns a document's title and text into hashed term counts: word unigrams, word bigrams and title words.
 *
 * <p>Thread-safe (each call has its own buffers). The hashing is part of the model file format: a
 * change here changes every trained model's predictions, so it must come with a new {@link #HASH}.
 */
/*
 * Design: one pass over the characters builds each token's hash without creating a String
 * (lower-cased letters and digits; everything else separates tokens). A feature's key is its
 * bucket shifted left by one, with the sign (signed hashing) in bit 0; sorting the keys groups
 * each bucket's occurrences, so counting needs no hash map and yields buckets in ascending order,
 * which is what liblinear wants too. Title words get their own hash seed: "report" in a title
 * says more than "report" in the body, and the model learns how much.
 */
final class HashedFeatures {

    /** The name recorded in model files for this tokenizer and hash. */
    static final String HASH = "fnv1a32-fmix32-v1";

    private static final int SEED_WORD = 0x2545F491;
    private static final int SEED_BIGRAM = 0x6B43A9B5;
    private static final int SEED_TITLE = 0x1B873593;
    private static final int FNV_OFFSET = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;

    /**
     * The term counts of one document, by bucket in ascending order.
     *
     * @param buckets distinct buckets, ascending
     * @param weights sublinear term frequency, {@code sign * (1 + ln |count|)}, of each bucket
     * @param size how many entries of the arrays are used
     */
    record Counts(int[] buckets, double[] weights, int size) {}

    private final int mask;
    private final boolean bigrams;
    private final boolean signed;
    private int[] keys = new int[256];
    private int n;

    private HashedFeatures(LinearClassifier.Settings settings) {
        this.mask = settings.buckets() - 1;
        this.bigrams = settings.bigrams();
        this.signed = settings.signed();
    }

    static Counts count(String title, String text, LinearClassifier.Settings settings) {
        HashedFeatures features = new HashedFeatures(settings);
        if (title != null) {
            features.tokens(title, SEED_TITLE, false);
        }
        features.tokens(text, SEED_WORD, features.bigrams);
        return features.aggregate();
    }

    private void tokens(String s, int seed, boolean withBigrams) {
        int length = s.length();
        int previous = 0;
        boolean hasPrevious = false;
        int i = 0;
        while (i < length) {
            char c = s.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                i++;
                continue;
            }
            int h = FNV_OFFSET;
            while (i < length && Character.isLetterOrDigit(c = s.charAt(i))) {
                h = (h ^ Character.toLowerCase(c)) * FNV_PRIME;
                i++;
            }
            add(fmix(h ^ seed));
            if (withBigrams && hasPrevious) {
                add(fmix(previous * 0x9E3779B1 + h ^ SEED_BIGRAM));
            }
            previous = h;
            hasPrevious = true;
        }
    }

    private void add(int hash) {
        if (n == keys.length) {
            keys = Arrays.copyOf(keys, n * 2);
        }
        int sign = signed ? hash >>> 31 : 0;
        keys[n++] = (hash & mask) << 1 | sign;
    }

    private Counts aggregate() {
        Arrays.sort(keys, 0, n);
        int[] buckets = new int[n];
        double[] weights = new double[n];
        int size = 0;
        int i = 0;
        while (i < n) {
            int bucket = keys[i] >>> 1;
            int count = 0;
            while (i < n && keys[i] >>> 1 == bucket) {
                count += (keys[i] & 1) == 0 ? 1 : -1;
                i++;
            }
            if (count != 0) {
                buckets[size] = bucket;
                weights[size] = Math.signum(count) * (1 + Math.log(Math.abs(count)));
                size++;
            }
        }
        return new Counts(buckets, weights, size);
    }

    private static int fmix(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }
}
