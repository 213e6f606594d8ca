package io.docclassify.extract;

import java.io.IOException;
import java.io.InputStream;
import org.apache.tika.extractor.ParsingEmbeddedDocumentExtractor;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.ParseContext;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Parses the embedded documents of one document (attachments, archive entries) down to a nesting depth
 * and up to a count, and skips the rest, remembering which limit was hit.
 *
 * <p>Tika follows embedded documents as deep and as many as they go; an archive nested forty levels
 * deep, or one of a million entries, would take its time and memory. One instance serves one parse:
 * nested parsers reach it through the same {@link ParseContext}.
 */
final class EmbeddedLimiter extends ParsingEmbeddedDocumentExtractor {

    /** Below Tika's own limit of 10 archive levels, which ends the nesting silently (an embedded exception). */
    static final int MAX_DEPTH = 8;
    static final int MAX_COUNT = 10_000;

    private int depth;
    private int count;
    private String exceeded;

    EmbeddedLimiter(ParseContext context) {
        super(context);
    }

    @Override
    public boolean shouldParseEmbedded(Metadata metadata) {
        if (depth >= MAX_DEPTH) {
            exceeded = "embedded documents nested more than " + MAX_DEPTH + " levels deep";
            return false;
        }
        if (count >= MAX_COUNT) {
            exceeded = "more than " + MAX_COUNT + " embedded documents";
            return false;
        }
        return super.shouldParseEmbedded(metadata);
    }

    @Override
    public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml)
            throws SAXException, IOException {
        count++;
        depth++;
        try {
            super.parseEmbedded(stream, handler, metadata, outputHtml);
        } finally {
            depth--;
        }
    }

    /** The limit that made embedded documents be skipped, or {@code null}. */
    String exceeded() {
        return exceeded;
    }
}
