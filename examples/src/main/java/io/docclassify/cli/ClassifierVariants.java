package io.docclassify.cli;

import io.docclassify.DocumentClassifier;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The classifiers the service's jobs run with: one {@link DocumentClassifier} per variant (classifier and text
 * budget) that a job asks for, built on first use and shared by every job and upload that asks for it since. A
 * variant's model loads once, and the number of variants is bounded, since each holds its model in memory.
 */
final class ClassifierVariants implements AutoCloseable {

    /**
     * A job's choice among the service's classifiers.
     *
     * @param classifier a {@code --classifier} name, or {@code null} for the service's own
     * @param textBudget characters after which extraction stops, or {@code null} for the service's own
     */
    record Variant(String classifier, Integer textBudget) {
        static final Variant DEFAULT = new Variant(null, null);
    }

    private final Function<Variant, DocumentClassifier> factory;
    private final int max;
    private final Map<Variant, DocumentClassifier> built = new LinkedHashMap<>();

    ClassifierVariants(Function<Variant, DocumentClassifier> factory, int max) {
        this.factory = factory;
        this.max = max;
    }

    /**
     * The classifier for {@code variant}.
     *
     * @throws ServiceError 400 when the variant is not valid, 503 when there are as many variants as allowed
     */
    synchronized DocumentClassifier get(Variant variant) {
        DocumentClassifier classifier = built.get(variant);
        if (classifier == null) {
            if (built.size() >= max) {
                throw new ServiceError(503, "the service already holds " + max + " classifier variants " + built.keySet()
                        + "; use one of them", 60);
            }
            try {
                classifier = factory.apply(variant);
            } catch (RuntimeException e) {
                throw new ServiceError(400, "options " + variant + " cannot be used: " + StartFailure.of(e).getMessage());
            }
            built.put(variant, classifier);
        }
        return classifier;
    }

    @Override
    public synchronized void close() throws IOException {
        for (DocumentClassifier classifier : built.values()) {
            classifier.close();
        }
        built.clear();
    }
}
