package io.docclassify.extract;

import io.docclassify.spi.ExtractionProgress;
import java.util.ArrayList;
import java.util.List;
import org.apache.tika.exception.WriteLimitReachedException;
import org.xml.sax.Attributes;
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
 *
 * <p>It also notes where each page's text starts ({@code <div class="page">}, as Tika's PDF parser
 * writes them), so that OCR can tell the pages with a text layer from those without.
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
    private final List<Integer> pageStarts = new ArrayList<>();
    private long total;
    private boolean budgetReached;

    TextCollector(int kept, boolean stopAtBudget, ExtractionProgress progress) {
        this.kept = kept;
        this.stopAtBudget = stopAtBudget;
        this.progress = progress;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attributes) {
        if ("div".equals(localName) && "page".equals(attributes.getValue("class"))) {
            pageStarts.add(text.length());
        }
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

    /** The text of each page the parse marked, in order (the first with anything before it); empty without pages. */
    List<String> pageTexts() {
        List<String> pages = new ArrayList<>(pageStarts.size());
        for (int i = 0; i < pageStarts.size(); i++) {
            int begin = i == 0 ? 0 : pageStarts.get(i);
            int end = i + 1 < pageStarts.size() ? pageStarts.get(i + 1) : text.length();
            pages.add(text.substring(begin, end));
        }
        return pages;
    }
}
