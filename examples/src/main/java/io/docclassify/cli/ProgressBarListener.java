package io.docclassify.cli;

import io.docclassify.DocumentRecord;
import io.docclassify.spi.ProgressListener;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A live progress bar on the terminal: documents, documents and pages per second, ETA.
 *
 * <p>The bar appears when the run starts, not before: a configuration mistake found while the
 * classifier is built must not leave a bar drawn on the screen.
 */
final class ProgressBarListener implements ProgressListener, AutoCloseable {

    private final LongAdder pages = new LongAdder();
    private final AtomicLong total = new AtomicLong(-1);
    private volatile long start;
    private volatile ProgressBar bar;

    synchronized void total(long documents) {
        total.set(documents);
        if (bar != null) {
            bar.maxHint(documents);
        }
    }

    @Override
    public synchronized void started() {
        start = System.nanoTime();
        bar = new ProgressBarBuilder()
                .setTaskName("Classifying")
                .setInitialMax(total.get())
                .setUnit(" docs", 1)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .continuousUpdate()
                .build();
    }

    @Override
    public void recorded(DocumentRecord record) {
        if (record.pages() != null) {
            pages.add(record.pages());
        }
        ProgressBar current = bar;
        if (current != null) {
            current.step();
            double seconds = (System.nanoTime() - start) / 1e9;
            current.setExtraMessage(String.format(" · %.0f pages/s", pages.sum() / Math.max(seconds, 1e-3)));
        }
    }

    @Override
    public void skipped() {
        ProgressBar current = bar;
        if (current != null) {
            current.step();
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
