package io.docclassify.contract;

import io.docclassify.DocumentRecord;
import io.docclassify.DocumentRef;
import io.docclassify.spi.Engine;
import io.docclassify.spi.EngineRun;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;

/** The simplest correct engine: one document after another on the calling thread; the reference for the others. */
public final class SequentialEngine implements Engine {

    @Override
    public String name() {
        return "sequential";
    }

    @Override
    public void run(EngineRun run) throws IOException, InterruptedException {
        try (Stream<DocumentRef> refs = run.source().open()) {
            for (Iterator<DocumentRef> it = refs.iterator(); it.hasNext() && !run.stopRequested().getAsBoolean(); ) {
                Optional<DocumentRecord> record = run.processor().process(it.next());
                if (record.isPresent()) {
                    run.collector().collect(record.get());
                }
            }
        }
    }
}
