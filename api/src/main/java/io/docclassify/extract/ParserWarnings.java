package io.docclassify.extract;

/**
 * Counts the warnings parsers log while a document is parsed on the current thread.
 *
 * <p>Parsers log on the thread that parses, and one thread parses one document at a time, so a
 * thread-local counter attributes each warning to its document without any locking.
 */
final class ParserWarnings {

    private static final ThreadLocal<int[]> COUNT = ThreadLocal.withInitial(() -> new int[1]);

    private ParserWarnings() {}

    static void reset() {
        COUNT.get()[0] = 0;
    }

    static void increment() {
        COUNT.get()[0]++;
    }

    static int current() {
        return COUNT.get()[0];
    }
}
