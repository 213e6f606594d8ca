package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Why a command could not start or go on, told in one line with what to do, and the exit code a script can test.
 * The codes are listed in the README ("Exit codes") and {@code doc-classify --help}.
 */
final class StartFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit code of a run stopped because its results could not be stored (the message says why). */
    static final int STORE = 1;
    /** Exit code of a usage or configuration mistake. */
    static final int USAGE = 2;
    /** Exit code of an input (file, directory, manifest) that does not exist or cannot be read. */
    static final int INPUT = 3;
    /** Exit code of a results database that cannot be reached or refuses the connection. */
    static final int DATABASE = 4;
    /** Exit code of a port that cannot be listened on (taken, or not an address of this machine). */
    static final int PORT = 5;
    /** Exit code of cluster members that cannot be reached. */
    static final int MEMBERS = 6;
    /** Exit code of anything else: a bug or an environment problem; {@code -v} shows the stack trace. */
    static final int INTERNAL = 70;

    private final int exitCode;

    StartFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    /** The failure {@code e} stands for: itself, or an exit code and one line guessed from its causes. */
    static StartFailure of(Throwable e) {
        if (e instanceof StartFailure failure) {
            return failure;
        }
        if (e instanceof ConfigurationException) {
            return new StartFailure(USAGE, SettingFlags.message((ConfigurationException) e), e);
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException) {
                return new StartFailure(DATABASE, withHint(e.getMessage(), "check that PostgreSQL runs at that address"
                        + " and that the URL, user and password (PGUSER, PGPASSWORD) are right"), e);
            }
            if (cause instanceof BindException) {
                return new StartFailure(PORT, withHint(e.getMessage(),
                        "choose another port, or stop the process that holds it"), e);
            }
            if (cause instanceof NoSuchFileException || cause instanceof AccessDeniedException) {
                return new StartFailure(INPUT, "cannot read " + cause.getMessage() + " (" + kind(cause)
                        + "); check the path and its permissions", e);
            }
            if (cause.getClass().getName().startsWith("com.hazelcast.") || isNoCluster(cause)) {
                return new StartFailure(MEMBERS, withHint(e.getMessage(),
                        "start members with 'doc-classify node', or check --members and --cluster-name"), e);
            }
        }
        return new StartFailure(INTERNAL, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                + "; rerun with -v for the stack trace, and report it if the cause is not yours", e);
    }

    /** The message, with what to do added unless it already says (after a semicolon or colon). */
    private static String withHint(String message, String hint) {
        String line = message == null ? "" : message.lines().findFirst().orElse("").strip();
        if (line.contains("; ")) {
            return line;
        }
        return (line.endsWith(".") ? line.substring(0, line.length() - 1) : line) + "; " + hint;
    }

    private static String kind(Throwable cause) {
        return cause instanceof NoSuchFileException ? "no such file" : "permission denied";
    }

    /** Hazelcast's client gives up with an IllegalStateException of its own wording. */
    private static boolean isNoCluster(Throwable cause) {
        return cause instanceof IllegalStateException && cause.getMessage() != null
                && cause.getMessage().toLowerCase(Locale.ROOT).contains("unable to connect to any cluster");
    }
}
