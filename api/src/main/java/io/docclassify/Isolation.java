package io.docclassify;

import java.util.regex.Pattern;

/**
 * How extraction runs in child JVMs, so that a parser that hangs, runs out of memory or kills its
 * JVM takes only its own document down: see {@link DocumentClassifier.Builder#isolate(Isolation)}.
 *
 * @param childHeap the {@code -Xmx} of each child JVM, such as {@code 512m} or {@code 1g}
 * @param recycleAfter documents a child extracts before it is replaced by a fresh one, which
 *     contains slow leaks in parsers
 */
public record Isolation(String childHeap, int recycleAfter) {

    /** Enough for one parse of the large documents of the test corpora (two parses needed 256 MB). */
    public static final String DEFAULT_CHILD_HEAP = "512m";
    public static final int DEFAULT_RECYCLE_AFTER = 10_000;

    private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]?");

    public Isolation {
        if (childHeap == null || !HEAP.matcher(childHeap).matches()) {
            throw new ConfigurationException("Isolation.childHeap", childHeap,
                    "Isolation.childHeap must be a JVM heap size such as 512m or 2g, got '" + childHeap + "'");
        }
        if (recycleAfter < 1) {
            throw new ConfigurationException("Isolation.recycleAfter", recycleAfter,
                    "Isolation.recycleAfter must be >= 1 document, got " + recycleAfter);
        }
    }

    /** Children of 512 MB of heap, each replaced after 10,000 documents. */
    public static Isolation defaults() {
        return new Isolation(DEFAULT_CHILD_HEAP, DEFAULT_RECYCLE_AFTER);
    }

    public Isolation withChildHeap(String value) {
        return new Isolation(value, recycleAfter);
    }

    public Isolation withRecycleAfter(int value) {
        return new Isolation(childHeap, value);
    }
}
