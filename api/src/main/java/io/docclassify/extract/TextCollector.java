package io.docclassify.extract;

import io.docclassify.spi.ExtractionProgress;
import org.apache.tika.exception.WriteLimitReachedException;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Collects body text up to a budget, reports progress, and stops the parse when the caller gives up.
 *
 * <p>Stopping is done by throwing from a SAX callback, the only way to end a Tika parse early. The
 * exceptions are {@link WriteLimitReachedException}s because Tika's parsers let exactly that kind
 * through: the PDF parser, for one, catches other exceptions per page and goes on with the next
 * page, so any other exception would not stop it. The extractor tells the two cases apart by the
 * collector's own state afterwards, whatever the parser wrapped the exception in.
 */
final class TextCollector extends DefaultHandler {

    /** Thrown once the budget is full (not an error), or once the caller has cancelled the extraction. */
    private static final class Stop extends WriteLimitReachedException {
        private static final long serialVersionUID = 1L;

        Stop(int chars) {
            super(chars);
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
            throw new Stop(text.length());
        }
        progress.advanced();
        total += length;
        int room = kept - text.length();
        if (room > 0) {
            text.append(ch, start, Math.min(room, length));
        }
        if (stopAtBudget && text.length() >= kept) {
            budgetReached = true;
            throw new Stop(kept);
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
