package io.docclassify.extract;

import io.docclassify.spi.ExtractionProgress;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Collects body text up to a budget, reports progress, and stops the parse when the caller gives up.
 *
 * <p>Stopping is done by throwing from a SAX callback, the only way to end a Tika parse early; the
 * extractor recognises its own exceptions afterwards, whatever the parser wrapped them in.
 */
final class TextCollector extends DefaultHandler {

    /** Thrown once the budget is full; not an error. */
    static final class BudgetReached extends SAXException {
        private static final long serialVersionUID = 1L;

        BudgetReached() {
            super("text budget reached");
        }
    }

    /** Thrown once the caller has cancelled the extraction. */
    static final class Cancelled extends SAXException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("extraction cancelled by its caller");
        }
    }

    private final StringBuilder text = new StringBuilder();
    private final int kept;
    private final boolean stopAtBudget;
    private final ExtractionProgress progress;
    private long total;
    private boolean budgetReached;

    TextCollector(int kept, boolean stopAtBudget, ExtractionProgress progress) {
        this.kept = kept;
        this.stopAtBudget = stopAtBudget;
        this.progress = progress;
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        append(ch, start, length);
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        append(ch, start, length);
    }

    private void append(char[] ch, int start, int length) throws SAXException {
        if (progress.cancelled() || Thread.currentThread().isInterrupted()) {
            throw new Cancelled();
        }
        progress.advanced();
        total += length;
        int room = kept - text.length();
        if (room > 0) {
            text.append(ch, start, Math.min(room, length));
        }
        if (stopAtBudget && text.length() >= kept) {
            budgetReached = true;
            throw new BudgetReached();
        }
    }

    String text() {
        return text.toString();
    }

    int totalChars() {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(total, text.length()));
    }

    boolean budgetReached() {
        return budgetReached;
    }
}
