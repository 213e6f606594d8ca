package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code doc-classify} command line: classify document collections from a shell. */
@Command(name = "doc-classify", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        subcommands = {ClassifyCommand.class, ClassifyParallelCommand.class, NodeCommand.class, StatusCommand.class, ExportCommand.class,
                TrainCommand.class, EvalCommand.class,
                SplitCommand.class, CommandLine.HelpCommand.class},
        description = "Classifies large document collections: extract text, decide each document's type, store the results.")
public final class Main {

    /** Exit code for a usage or configuration mistake. */
    static final int USAGE = 2;
    /** Exit code for a run stopped by SIGINT/SIGTERM. */
    static final int STOPPED = 130;

    private Main() {}

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (!Shutdown.inProgress()) {
            System.exit(code);
        }
    }

    /** The command line with its error handling; tests run it in-process. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigurationException) {
                commandLine.getErr().println("doc-classify: " + e.getMessage());
                return USAGE;
            }
            throw e;
        });
        return cli;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"doc-classify " + (version == null ? "(development build)" : version)};
        }
    }
}
