package io.docclassify.extract;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;

/**
 * A Logback filter that counts parser warnings per document instead of printing them.
 *
 * <p>PDFBox, fontbox and POI warn about many ordinary files (hundreds of thousands of lines over a
 * few hundred PDFs). Installed in {@code logback.xml} as
 * {@code <turboFilter class="io.docclassify.extract.ParserWarningFilter"/>}, it counts WARN and
 * ERROR events from parser packages into the record's {@code parserWarnings} and drops them, unless
 * DEBUG is enabled for that logger. Hosts that log through another backend simply get no count.
 */
public final class ParserWarningFilter extends TurboFilter {

    private static final List<String> PARSER_PACKAGES = List.of(
            "org.apache.pdfbox", "org.apache.fontbox", "org.apache.poi", "org.apache.tika.parser",
            "org.apache.xmlbeans", "com.drew", "org.apache.james", "org.apache.commons.compress");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if ((format == null && t == null) || !level.isGreaterOrEqual(Level.WARN) || !isParser(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        ParserWarnings.increment();
        return logger.isDebugEnabled() ? FilterReply.NEUTRAL : FilterReply.DENY;
    }

    private static boolean isParser(String name) {
        for (String prefix : PARSER_PACKAGES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
