package io.docclassify.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Sets log levels from the number of {@code -v} flags; the rest lives in {@code logback.xml}. */
final class Logging {

    private Logging() {}

    static void configure(int verbosity) {
        if (verbosity >= 1) {
            level("io.docclassify", Level.DEBUG);
        }
        if (verbosity >= 2) {
            // Also lets parser warnings through: ParserWarningFilter passes them once DEBUG is on.
            level(Logger.ROOT_LOGGER_NAME, Level.DEBUG);
        }
    }

    private static void level(String logger, Level level) {
        if (LoggerFactory.getLogger(logger) instanceof Logger logback) {
            logback.setLevel(level);
        }
    }
}
