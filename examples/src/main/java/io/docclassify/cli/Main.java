package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code doc-classify} command line: classify document collections from a shell. */
@Command(name = "doc-classify", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Classifies large document collections: extract text, decide each document's type, store the results.")
public final class Main {

    /** Exit code for a usage or configuration mistake. */
    static final int USAGE = 2;
    /** Exit code for a run stopped by SIGINT/SIGTERM. */
    static final int STOPPED = 130;

    /** The subcommands, in the order the usage lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(ClassifyCommand.class, ClassifyParallelCommand.class,
            NodeCommand.class, StatusCommand.class, ExportCommand.class, TrainCommand.class, EvalCommand.class,
            ReviewCommand.class, SplitCommand.class, CommandLine.HelpCommand.class);

    private Main() {}

    public static void main(String[] args) {
        int code = commandLine(args).execute(args);
        if (!Shutdown.inProgress()) {
            System.exit(code);
        }
    }

    /** The command line with every subcommand and its error handling; tests run it in-process. */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command line for {@code args}: when they start with a subcommand's name, only that subcommand
     * is built, since picocli reads every subcommand's options by reflection up front (measured: 330 ms
     * for all of them, 140 ms for {@code classify} alone); otherwise (no arguments, help, a typo) all.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        String first = args.length == 0 ? "" : args[0];
        boolean one = SUBCOMMANDS.stream().anyMatch(c -> !c.equals(CommandLine.HelpCommand.class) && name(c).equals(first));
        for (Class<?> subcommand : SUBCOMMANDS) {
            if (!one || name(subcommand).equals(first)) {
                cli.addSubcommand(subcommand);
            }
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigurationException configuration) {
                commandLine.getErr().println("doc-classify: " + SettingFlags.message(configuration));
                return USAGE;
            }
            throw e;
        });
        return cli;
    }

    private static String name(Class<?> subcommand) {
        return subcommand.getAnnotation(Command.class).name();
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
