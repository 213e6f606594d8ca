package io.docclassify.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The CLI in child JVMs, for tests that need separate processes: each child's output goes to its own log file. */
final class ChildCli implements AutoCloseable {

    private static final Pattern MEMBER_STARTED = Pattern.compile("^member (\\S+) of cluster", Pattern.MULTILINE);

    private final Path folder;
    private final Map<String, Process> processes = new LinkedHashMap<>();

    ChildCli(Path folder) {
        this.folder = folder;
    }

    /**
     * Starts {@code doc-classify args...} as {@code name}.
     *
     * @param launcher what runs the JVM, such as {@code ip netns exec NS}; empty to run it directly
     * @param environment variables to set ({@code null} values remove one)
     * @param jvmOptions extra JVM options, such as system properties
     */
    Process start(String name, List<String> launcher, Map<String, String> environment, List<String> jvmOptions,
            String... args) throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(Arrays.asList(System.getProperty("docclassify.hazelcast.opens", "").trim().split("\\s+")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        command.removeIf(String::isEmpty);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(name).toFile());
        environment.forEach((key, value) -> {
            if (value == null) {
                builder.environment().remove(key);
            } else {
                builder.environment().put(key, value);
            }
        });
        Process process = builder.start();
        processes.put(name, process);
        return process;
    }

    Process process(String name) {
        return processes.get(name);
    }

    Path log(String name) {
        return folder.resolve(name + ".log");
    }

    String output(String name) throws IOException {
        return Files.exists(log(name)) ? Files.readString(log(name)) : "";
    }

    /** Waits for the member {@code name} to say it joined, and returns its address. */
    String awaitMember(String name) throws Exception {
        Process member = processes.get(name);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && member.isAlive()) {
            Matcher m = MEMBER_STARTED.matcher(output(name));
            if (m.find()) {
                return m.group(1);
            }
            member.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError(name + " did not start; its output:\n" + output(name));
    }

    /** Every child's output, for an assertion message. */
    String outputs() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String name : processes.keySet()) {
            all.append("--- ").append(name).append(" ---\n").append(output(name)).append('\n');
        }
        return all.toString();
    }

    @Override
    public void close() {
        for (Process process : processes.values()) {
            process.destroyForcibly();
        }
        for (Process process : processes.values()) {
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
