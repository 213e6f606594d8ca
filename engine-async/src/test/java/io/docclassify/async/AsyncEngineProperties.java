package io.docclassify.async;

import io.docclassify.contract.EngineProperties;
import io.docclassify.spi.Engine;

/**
 * The engine properties, on the virtual-thread engine: with up to 50 documents in flight, the copies
 * of one content are hashed at the same moment, and still each content is classified once.
 */
class AsyncEngineProperties extends EngineProperties {

    @Override
    protected Engine engine() {
        return new AsyncEngine();
    }
}
