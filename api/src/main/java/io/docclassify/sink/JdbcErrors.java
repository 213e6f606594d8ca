package io.docclassify.sink;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** What a SQL error means for the sink: whether to retry it, and the server's words for messages. */
final class JdbcErrors {

    private JdbcErrors() {}

    /** Whether the error is about the connection or the server's state, not about the data: worth a retry. */
    static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.startsWith("53")
                || state.equals("40001") || state.equals("40P01")
                || e instanceof SQLTransientException || e instanceof SQLRecoverableException;
    }

    /** The server's words, without the batch's SQL and values that the driver puts around them. */
    static String reason(SQLException e) {
        SQLException cause = e.getNextException() != null ? e.getNextException() : e;
        String message = String.valueOf(cause.getMessage());
        int cut = message.indexOf("\n");
        return cut < 0 ? message : message.substring(0, cut);
    }

    /** Text as PostgreSQL accepts it: without NUL characters, which it refuses in text and jsonb. */
    static String clean(String value) {
        return value == null || value.indexOf('\0') < 0 ? value : value.replace("\0", "");
    }
}
