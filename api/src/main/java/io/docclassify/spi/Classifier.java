package io.docclassify.spi;

import io.docclassify.Outcome;

/**
 * Decides what kind of document a text is.
 *
 * <p>Implementations are thread-safe, reused for every document, and deterministic: the same text
 * and configuration give the same result on every engine. An exception fails only the document at
 * hand (stage {@code classify}); a {@link ClassificationException} names the failure's reason code.
 */
public interface Classifier {

    /** The id written to each record's {@code classifier} field, such as {@code rules}. */
    String id();

    /** Labels {@code text}; never {@code null}. */
    Outcome.Classified classify(ExtractedText text);

    /**
     * Whether classifying keeps a CPU busy (an in-process model) rather than waiting (an LLM behind
     * HTTP). A CPU-bound classifier runs under the same CPU permit as extraction, so the cores are
     * never over-subscribed; an I/O-bound one runs outside it, so waiting never idles the cores.
     * Default {@code true}.
     */
    default boolean cpuBound() {
        return true;
    }
}
