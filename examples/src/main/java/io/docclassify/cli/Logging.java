package io.docclassify.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Sets log levels from the number of {@code -v} flags; the rest lives in {@code logback.xml}. */
final class Logging {

    /**
     * Third-party loggers that {@code logback.xml} keeps quiet, as their warnings are not the user's business or
     * doc-classify says the same in one line; {@code -v} shows their warnings.
     */
    private static final String[] QUIET_BY_DEFAULT = {"ai.djl", "com.hazelcast", "com.zaxxer.hikari"};

    private Logging() {}

    static void configure(int verbosity) {
        if (verbosity >= 1) {
            level("io.docclassify", Level.DEBUG);
            for (String logger : QUIET_BY_DEFAULT) {
                level(logger, Level.WARN);
            }
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
