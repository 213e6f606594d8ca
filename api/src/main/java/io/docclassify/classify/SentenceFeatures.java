package io.docclassify.classify;

import java.util.ArrayList;
import java.util.List;

/**
 * The dense features a linear model may add to its hashed words: the mean MiniLM sentence vector of
 * a document's first windows of text.
 *
 * <p>Thread-safe. The windows and their spacing are part of the model file format: a model records
 * how many windows it read, and a change of what a window holds needs a new {@link #VIEW}.
 */
/*
 * Design: the first window is the title and the start of the text, as the embedding classifier reads
 * it; the next ones start every WINDOW_STEP characters of the collapsed text, so the vector sees more
 * than the opening (a topic is spread through a document). Each window is cut at WINDOW_CHARS
 * characters, about the 128 tokens the model reads; the mean of the windows' unit vectors is scaled
 * to unit length again, so one dense block has the same length as the L2-normalised words.
 */
final class SentenceFeatures {

    /** The name recorded in model files for what a window holds. */
    static final String VIEW = "title+collapsed-text-1000/500-v1";
    static final int DIMENSIONS = 384;
    static final int WINDOW_CHARS = 1_000;
    static final int WINDOW_STEP = 500;
    private static final int TITLE_MAX = 200;

    private SentenceFeatures() {}

    /** The unit-length mean of the MiniLM vectors of the first {@code windows} windows (fewer if the text ends). */
    static float[] vector(String title, String text, int windows) {
        MiniLm model = MiniLm.get();
        float[] sum = new float[DIMENSIONS];
        for (String window : windows(title, text, windows)) {
            float[] v = model.vector(window);
            for (int d = 0; d < DIMENSIONS; d++) {
                sum[d] += v[d];
            }
        }
        double norm = 0;
        for (float x : sum) {
            norm += x * x;
        }
        if (norm > 0) {
            float scale = (float) (1 / Math.sqrt(norm));
            for (int d = 0; d < DIMENSIONS; d++) {
                sum[d] *= scale;
            }
        }
        return sum;
    }

    /** What the model reads: the title and the first window, then windows every WINDOW_STEP characters. */
    static List<String> windows(String title, String text, int windows) {
        String body = CollapsedText.of(text, WINDOW_STEP * (windows - 1) + WINDOW_CHARS);
        List<String> out = new ArrayList<>(windows);
        String head = title == null || title.isBlank() || title.strip().length() >= TITLE_MAX ? "" : title.strip() + "\n";
        String first = head + body.substring(0, Math.min(body.length(), WINDOW_CHARS));
        out.add(first.isBlank() ? "empty document" : first);
        for (int k = 1; k < windows && k * WINDOW_STEP < body.length(); k++) {
            int from = k * WINDOW_STEP;
            out.add(body.substring(from, Math.min(body.length(), from + WINDOW_CHARS)));
        }
        return out;
    }
}
