package io.docclassify.run;

import java.time.Duration;

/** Formats durations the way people read them: {@code 2 h 05 min}, {@code 4.2 s}. */
public final class Durations {

    private Durations() {}

    /** A short, readable form of {@code duration}. */
    public static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return String.format("%.1f s", duration.toMillis() / 1000.0);
        }
        if (seconds < 3600) {
            return String.format("%d min %02d s", seconds / 60, seconds % 60);
        }
        if (seconds < 48 * 3600) {
            return String.format("%d h %02d min", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format("%.1f days", seconds / 86400.0);
    }
}
