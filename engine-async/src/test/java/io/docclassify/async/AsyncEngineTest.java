package io.docclassify.async;

import io.docclassify.DocumentClassifier;
import io.docclassify.contract.EngineContract;
import io.docclassify.spi.Engine;

/** The engine contract, on the virtual-thread engine. */
class AsyncEngineTest extends EngineContract {

    @Override
    protected Engine engine() {
        return new AsyncEngine();
    }

    /**
     * Two documents in flight, like the two workers the other engines get: a stop lets the documents
     * in flight finish, and the stop test needs some documents not yet started when it stops.
     */
    @Override
    protected DocumentClassifier.Builder classifier() {
        return super.classifier().maxConcurrent(2);
    }
}
