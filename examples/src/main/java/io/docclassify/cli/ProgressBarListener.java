package io.docclassify.cli;

import io.docclassify.DocumentRecord;
import io.docclassify.spi.ProgressListener;
import java.util.concurrent.atomic.LongAdder;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A live progress bar on the terminal: documents, documents and pages per second, ETA. */
final class ProgressBarListener implements ProgressListener, AutoCloseable {

    private final LongAdder pages = new LongAdder();
    private final long start = System.nanoTime();
    private final ProgressBar bar = new ProgressBarBuilder()
            .setTaskName("Classifying")
            .setInitialMax(-1)
            .setUnit(" docs", 1)
            .showSpeed()
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .continuousUpdate()
            .build();

    void total(long documents) {
        bar.maxHint(documents);
    }

    @Override
    public void recorded(DocumentRecord record) {
        if (record.pages() != null) {
            pages.add(record.pages());
        }
        bar.step();
        double seconds = (System.nanoTime() - start) / 1e9;
        bar.setExtraMessage(String.format(" · %.0f pages/s", pages.sum() / Math.max(seconds, 1e-3)));
    }

    @Override
    public void skipped() {
        bar.step();
    }

    @Override
    public void close() {
        bar.close();
    }
}
