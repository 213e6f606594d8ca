package io.docclassify.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories whose threads say what they do in a thread dump: {@code docclassify-worker-3}.
 *
 * <p>Every thread doc-classify starts comes from one of these, so that a profile or a stack dump of a
 * host application tells doc-classify's threads from the host's.
 */
public final class NamedThreads {

    private NamedThreads() {}

    /**
     * Daemon platform threads named {@code name}, or {@code name-1}, {@code name-2}, ... when {@code name}
     * ends with a dash.
     */
    public static ThreadFactory daemon(String name) {
        AtomicInteger ids = new AtomicInteger();
        boolean numbered = name.endsWith("-");
        return task -> {
            Thread thread = new Thread(task, numbered ? name + ids.incrementAndGet() : name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Virtual threads named {@code prefix1}, {@code prefix2}, ... */
    public static ThreadFactory virtual(String prefix) {
        return Thread.ofVirtual().name(prefix, 1).factory();
    }
}
