package io.docclassify.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code doc-classify classify-parallel}: the seed system's spelling, so its users need not relearn.
 * {@code -o} names a directory that receives {@code results.jsonl} and {@code summary.json}.
 */
@Command(name = "classify-parallel", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify documents into a results directory (the spelling of the system doc-classify replaces).",
                "Same as: classify INPUT -o DIR/results.jsonl --summary DIR/summary.json"})
final class ClassifyParallelCommand implements Callable<Integer> {

    @Mixin
    RunOptions options;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "results",
            description = "Directory for results.jsonl (not with --db) and summary.json. Default: ${DEFAULT-VALUE}.")
    Path outputDir;

    @Option(names = "--export", description = "Also write results.csv (one row per document) into the directory.")
    boolean export;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Runner.Outputs outputs = new Runner.Outputs(outputDir.resolve("results.jsonl"), false, outputDir.resolve("summary.json"),
                export ? outputDir.resolve("results.csv") : null);
        return Runner.run(options, outputs, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
