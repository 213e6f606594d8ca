package io.docclassify.local;

import io.docclassify.contract.EngineContract;
import io.docclassify.spi.Engine;

/** The engine contract, on the local thread-pool engine. */
class LocalEngineTest extends EngineContract {

    @Override
    protected Engine engine() {
        return new LocalEngine();
    }
}
