package io.docclassify.classify;

import io.docclassify.ConfigurationException;
import io.docclassify.Outcome;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lets a fast classifier decide what it is sure of and asks a slower one (an LLM) only about the
 * rest: a first result whose confidence is below the threshold is escalated. Each result names the
 * stage that decided in {@link Outcome.Classified#decidedBy()}.
 *
 * <p>Thread-safe when both classifiers are. The counters ({@link #escalated()}, {@link #secondNanos()})
 * cover every document this instance classified.
 */
public final class CascadeClassifier implements Classifier {

    /** The default threshold, chosen on one half of the labelled corpus and checked on the other (see README). */
    public static final double DEFAULT_ESCALATE_BELOW = 0.9;

    private final Classifier first;
    private final Classifier second;
    private final double escalateBelow;
    private final String firstName;
    private final String secondName;
    private final LongAdder decided = new LongAdder();
    private final LongAdder escalated = new LongAdder();
    private final LongAdder secondNanos = new LongAdder();

    /**
     * @param first the fast classifier, asked about every document
     * @param second the classifier asked when {@code first}'s confidence is below {@code escalateBelow}
     * @param escalateBelow in [0, 1]; 0 never escalates, 1 escalates all but certain results
     */
    public CascadeClassifier(Classifier first, Classifier second, double escalateBelow) {
        this.first = Objects.requireNonNull(first, "first");
        this.second = Objects.requireNonNull(second, "second");
        if (!(escalateBelow >= 0 && escalateBelow <= 1)) {
            throw new ConfigurationException("CascadeClassifier.escalateBelow", escalateBelow,
                    "CascadeClassifier.escalateBelow must be in [0, 1], got " + escalateBelow);
        }
        this.escalateBelow = escalateBelow;
        this.firstName = stageName(first);
        this.secondName = stageName(second);
    }

    /** The stage's name in {@code decidedBy}: the classifier id up to its {@code @}, such as {@code embedding}. */
    private static String stageName(Classifier c) {
        int at = c.id().indexOf('@');
        return at > 0 ? c.id().substring(0, at) : c.id();
    }

    /**
     * {@code cascade(FIRST<T>SECOND)}: both classifiers' ids and the threshold, so results cached under
     * one setting are not taken for another's.
     */
    @Override
    public String id() {
        return "cascade(" + first.id() + "<" + String.format(Locale.ROOT, "%.2f", escalateBelow) + ">" + second.id() + ")";
    }

    /** I/O-bound when either stage is: an engine should keep enough documents in flight for the slow one. */
    @Override
    public boolean cpuBound() {
        return first.cpuBound() && second.cpuBound();
    }

    @Override
    public Outcome.Classified classify(ExtractedText text) {
        decided.increment();
        Outcome.Classified fast = first.classify(text);
        if (fast.confidence() >= escalateBelow) {
            return fast.withDecidedBy(firstName);
        }
        escalated.increment();
        long start = System.nanoTime();
        try {
            return second.classify(text).withDecidedBy(secondName);
        } finally {
            secondNanos.add(System.nanoTime() - start);
        }
    }

    public double escalateBelow() {
        return escalateBelow;
    }

    /** Documents classified by this instance. */
    public long classified() {
        return decided.sum();
    }

    /** Documents sent to the second classifier. */
    public long escalated() {
        return escalated.sum();
    }

    /** Time spent in the second classifier, summed over all calls (in parallel calls it exceeds wall time). */
    public long secondNanos() {
        return secondNanos.sum();
    }
}
