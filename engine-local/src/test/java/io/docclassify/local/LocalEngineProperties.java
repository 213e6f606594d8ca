package io.docclassify.local;

import io.docclassify.contract.EngineProperties;
import io.docclassify.spi.Engine;

/** The engine properties, on the local thread-pool engine. */
class LocalEngineProperties extends EngineProperties {

    @Override
    protected Engine engine() {
        return new LocalEngine();
    }
}
