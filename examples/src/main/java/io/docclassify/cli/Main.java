package io.docclassify.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code doc-classify} command line: classify document collections from a shell. */
@Command(name = "doc-classify", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Classifies large document collections: extract text, decide each document's type, store the results.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done (documents that failed are results, not errors)",
            "1:the run stopped because results could not be stored; rerun with --resume",
            "2:a usage or configuration mistake",
            "3:an input cannot be read",
            "4:the results database cannot be reached or refuses",
            "5:a port is taken or not an address of this machine",
            "6:no cluster member answered",
            "70:an unexpected error (-v shows the stack trace)",
            "130, 143:stopped by Ctrl-C or SIGTERM; continue with --resume"})
public final class Main {

    /** Exit code for a usage or configuration mistake; the other codes are in {@link StartFailure}. */
    static final int USAGE = StartFailure.USAGE;
    /** Exit code for a run stopped by SIGINT/SIGTERM. */
    static final int STOPPED = 130;

    /** The subcommands, in the order the usage lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(ClassifyCommand.class, ClassifyParallelCommand.class,
            NodeCommand.class, StatusCommand.class, ExportCommand.class, TrainCommand.class, EvalCommand.class,
            ReviewCommand.class, SplitCommand.class, ServeCommand.class, CommandLine.HelpCommand.class);

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
            StartFailure failure = StartFailure.of(e);
            PrintWriter err = commandLine.getErr();
            err.println("doc-classify: " + failure.getMessage());
            if (verbose(parseResult)) {
                e.printStackTrace(err);
            }
            err.flush();
            return failure.exitCode();
        });
        cli.setParameterExceptionHandler(Main::usageMistake);
        return cli;
    }

    /**
     * An unknown option, a missing value, a typo in a command's name: the message, suggestions if picocli has any,
     * and where the usage is, instead of the whole usage (which buries the message).
     */
    private static int usageMistake(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("doc-classify: " + e.getMessage());
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                err.println("did you mean: " + String.join(", ", suggestions) + "?");
            }
        }
        String name = command.getCommandSpec().name();
        err.println(command.getParent() == null ? "see 'doc-classify help'" : "see 'doc-classify help " + name + "'");
        err.flush();
        return USAGE;
    }

    private static boolean verbose(CommandLine.ParseResult parseResult) {
        return parseResult.expandedArgs().stream()
                .anyMatch(arg -> arg.equals("--verbose") || arg.matches("-v+") || arg.matches("-[a-uw-zA-Z]*v[a-zA-Z]*"));
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
