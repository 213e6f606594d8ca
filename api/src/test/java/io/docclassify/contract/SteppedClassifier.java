package io.docclassify.contract;

import io.docclassify.Outcome;
import io.docclassify.classify.RulesClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
import java.util.concurrent.Semaphore;

/**
 * The rules classifier behind a gate the test opens step by step, so a test can look at a run while it
 * goes, at a point it chose, without timing: each classification takes one permit from {@link #allow}.
 */
public final class SteppedClassifier implements Classifier {

    private final RulesClassifier rules = new RulesClassifier(Taxonomy.builtIn());
    private final Semaphore permits = new Semaphore(0);

    @Override
    public String id() {
        return rules.id();
    }

    @Override
    public Outcome.Classified classify(ExtractedText text) {
        permits.acquireUninterruptibly();
        return rules.classify(text);
    }

    /** Lets {@code documents} more documents be classified. */
    public void allow(int documents) {
        permits.release(documents);
    }

    /** Lets every document through from now on. */
    public void openFully() {
        permits.release(Integer.MAX_VALUE / 2);
    }

    /** Workers waiting at the gate now. */
    public int waiting() {
        return permits.getQueueLength();
    }
}
