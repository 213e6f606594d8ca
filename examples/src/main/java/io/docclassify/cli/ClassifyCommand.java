package io.docclassify.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code doc-classify classify}: classifies documents into a JSON Lines file. */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Classify documents and write one JSON record per document.")
final class ClassifyCommand implements Callable<Integer> {

    @Mixin
    RunOptions options;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "results.jsonl",
            description = "JSON Lines results file (not written with --db). Default: ${DEFAULT-VALUE}.")
    Path output;

    @Option(names = "--summary", paramLabel = "FILE", description = "Also write the run summary as JSON.")
    Path summary;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return Runner.run(options, new Runner.Outputs(output,
                spec.commandLine().getParseResult().hasMatchedOption("--output"), summary, null), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}
