package io.docclassify.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Base of tests that run the CLI in the test's JVM: {@link #run} executes a command and keeps what it printed. */
abstract class InProcessCli {

    /** Everything the commands printed to standard output so far. */
    protected final StringWriter out = new StringWriter();

    /** Everything the commands printed to standard error so far. */
    protected final StringWriter err = new StringWriter();

    /** Runs {@code doc-classify args...} and returns its exit code. */
    protected int run(String... args) {
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
