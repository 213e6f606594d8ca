package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive as an operator gets it: unpacked into an empty folder, run by {@code bin/doc-classify}
 * with nothing but a Java runtime on the PATH (no JAVA_HOME, no Maven, no source tree; the working folder is outside
 * the checkout). The runtime is a JRE: {@code jlink} makes one of the building JDK's runtime modules, without javac
 * or the JDK's tools, as an operator's {@code openjdk-21-jre-headless} would be. Runs after {@code package}
 * (surefire's {@code distribution-test} execution in the pom).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.MethodName.class)
class DistributionIT {

    static final Path ARCHIVE = Path.of(System.getProperty("docclassify.distribution",
            "target/doc-classify-unknown.tar.gz"));
    static final Path ZIP = Path.of(System.getProperty("docclassify.distribution.zip", "target/doc-classify-unknown.zip"));

    @TempDir
    static Path temp;
    static Path home;
    /** A folder holding only the tools bin/doc-classify uses and {@code java}: the PATH of every run here. */
    static Path tools;

    @BeforeAll
    static void unpack() throws IOException, InterruptedException {
        assertThat(ARCHIVE).as("the archive `mvn package` builds").isRegularFile();
        Path unpacked = Files.createDirectories(temp.resolve("opt"));
        Process tar = new ProcessBuilder("tar", "-xzf", ARCHIVE.toAbsolutePath().toString(), "-C", unpacked.toString())
                .inheritIO().start();
        assertThat(tar.waitFor()).as("tar -xzf").isZero();
        try (Stream<Path> top = Files.list(unpacked)) {
            List<Path> folders = top.toList();
            assertThat(folders).as("one top folder").hasSize(1);
            home = folders.getFirst();
        }
        assertThat(home.getFileName().toString()).isEqualTo(ARCHIVE.getFileName().toString().replace(".tar.gz", ""));
        tools = Files.createDirectories(temp.resolve("tools"));
        for (String tool : List.of("bash", "env", "dirname", "sed", "head")) {
            Files.createSymbolicLink(tools.resolve(tool), Path.of("/usr/bin", tool).toRealPath());
        }
        Files.createSymbolicLink(tools.resolve("java"), javaRuntime().resolve("bin/java"));
    }

    /** The runtime modules of the JDK running the test, linked into a runtime image of their own: a JRE. */
    private static Path javaRuntime() throws IOException, InterruptedException {
        Path jre = temp.resolve("jre");
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        Process process = new ProcessBuilder(jlink.toString(), "--add-modules", String.join(",", RUNTIME_MODULES),
                "--output", jre.toString(), "--no-header-files", "--no-man-pages", "--strip-debug")
                .inheritIO().start();
        assertThat(process.waitFor()).as("jlink").isZero();
        assertThat(jre.resolve("bin/java")).isExecutable();
        assertThat(jre.resolve("bin/javac")).as("a runtime, not a JDK").doesNotExist();
        return jre;
    }

    /** What a headless JRE package holds that doc-classify can use: Java SE and the JDK's runtime modules. */
    private static final List<String> RUNTIME_MODULES = List.of("java.se", "jdk.unsupported", "jdk.management",
            "jdk.httpserver", "jdk.zipfs", "jdk.charsets", "jdk.localedata", "jdk.crypto.ec", "jdk.naming.dns", "jdk.net");

    @Test
    void a_layout_isBinLibConfAndTheLegalFiles() {
        assertThat(home.resolve("bin/doc-classify")).isExecutable();
        assertThat(home.resolve("lib")).isDirectoryContaining("glob:**/doc-classify-cli-*.jar")
                .isDirectoryContaining("glob:**/doc-classify-api-*.jar").isDirectoryContaining("glob:**/tika-core-*.jar");
        for (String file : List.of("conf/logback.xml", "conf/taxonomy-example.yaml", "conf/taxonomies/bbc-topics.yaml",
                "conf/prometheus-alerts.yml", "conf/grafana-dashboard.json", "LICENSE", "NOTICE", "THIRD-PARTY.md",
                "README.md", "docs/record.schema.json")) {
            assertThat(home.resolve(file)).as(file).isRegularFile();
        }
        assertThat(home.resolve("LICENSE")).content().contains("Apache License", "Version 2.0");
    }

    @Test
    void b_licenceList_coversEveryBundledJar() throws IOException {
        String list = Files.readString(home.resolve("THIRD-PARTY.md"));
        Set<String> listed = new TreeSet<>();
        Matcher row = Pattern.compile("^\\| `[^:`]+:([^`]+)` \\| ([^ |]+) \\| (.+) \\|$", Pattern.MULTILINE).matcher(list);
        while (row.find()) {
            assertThat(row.group(3).strip()).as("licence of %s", row.group(1)).isNotEmpty();
            listed.add(row.group(1) + "-" + row.group(2));
        }
        List<String> unlisted = new ArrayList<>();
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            for (String jar : jars.map(p -> p.getFileName().toString()).sorted().toList()) {
                assertThat(jar).as("lib/ holds jars only").endsWith(".jar");
                boolean own = jar.startsWith("doc-classify-");
                if (!own && listed.stream().noneMatch(prefix -> jar.equals(prefix + ".jar") || jar.startsWith(prefix + "-"))) {
                    unlisted.add(jar);
                }
            }
        }
        assertThat(unlisted).as("jars in lib/ without a row (artifact and version) in THIRD-PARTY.md").isEmpty();
    }

    @Test
    void c_classifiesTheSampleDocuments_withOnlyAJavaRuntimeOnThePath() throws IOException, InterruptedException {
        Path docs = temp.resolve("docs");
        Files.createDirectories(docs);
        long count;
        try (Stream<Path> samples = Files.list(CliTest.SAMPLE_DOCS)) {
            List<Path> files = samples.toList();
            for (Path file : files) {
                Files.copy(file, docs.resolve(file.getFileName()));
            }
            count = files.size();
        }
        Path work = Files.createDirectories(temp.resolve("work"));

        Result run = run(work, Map.of(), "classify", docs.toString(), "-o", "results.jsonl", "--no-progress");

        assertThat(run.code).as("exit code; stderr:%n%s", run.err).isZero();
        assertThat(Files.readAllLines(work.resolve("results.jsonl"))).as("one record per document").hasSize((int) count);
        assertThat(run.out).contains("Classified " + count + " documents");
        assertThat(run.err).as("the console of a plain run").doesNotContain("CudaUtils", "WARN", "\tat ");

        Result version = run(work, Map.of(), "--version");
        assertThat(version.out.strip()).matches("doc-classify \\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void d_startFailures_areOneLineOnTheConsole() throws IOException, InterruptedException {
        Path work = Files.createDirectories(temp.resolve("failures"));
        Path doc = Files.writeString(work.resolve("a.txt"), "Invoice number 12, amount due 30 EUR");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Result db = run(work, Map.of(), "classify", doc.toString(), "--classifier", "rules", "--no-progress",
                "--db", "jdbc:postgresql://127.0.0.1:" + port + "/docs?user=postgres");
        assertThat(db.code).as("stderr:%n%s", db.err).isEqualTo(StartFailure.DATABASE);
        assertThat(db.err.lines().toList()).as("the console").hasSize(1).first().asString()
                .startsWith("doc-classify: cannot open the results database");

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result status = run(work, Map.of(), "classify", doc.toString(), "--classifier", "rules", "--no-progress",
                    "-o", "r.jsonl", "--status-port", String.valueOf(taken.getLocalPort()));
            assertThat(status.code).as("stderr:%n%s", status.err).isEqualTo(StartFailure.PORT);
            assertThat(status.err.lines().toList()).as("the console").hasSize(1);
        }

        Result option = run(work, Map.of(), "classify", doc.toString(), "--no-progres");
        assertThat(option.code).isEqualTo(StartFailure.USAGE);
        List<String> lines = option.err.lines().toList();
        assertThat(lines).as("the console").hasSize(3);
        assertThat(lines.get(0)).isEqualTo("doc-classify: Unknown option: '--no-progres'");
        assertThat(lines.get(1)).startsWith("did you mean: ").contains("--no-progress-timeout")
                .containsPattern("--no-progress[,?]");
        assertThat(lines.get(2)).isEqualTo("see 'doc-classify help classify'");
    }

    @Test
    void e_withoutJava21_saysWhatToInstall() throws IOException, InterruptedException {
        Path bare = Files.createDirectories(temp.resolve("no-java"));
        for (String tool : List.of("bash", "env", "dirname", "sed", "head")) {
            Files.createSymbolicLink(bare.resolve(tool), tools.resolve(tool).toRealPath());
        }
        Result none = run(temp, Map.of("PATH", bare.toString()), "--version");
        assertThat(none.code).isEqualTo(2);
        assertThat(none.err).contains("needs Java 21 or newer", "none in JAVA_HOME or on the PATH", "Install a Java runtime");

        Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        if (Files.isExecutable(java17.resolve("bin/java"))) {
            Result old = run(temp, Map.of("PATH", bare.toString(), "JAVA_HOME", java17.toString()), "--version");
            assertThat(old.code).isEqualTo(2);
            assertThat(old.err).contains("found " + java17 + "/bin/java (Java 17)");
        }
    }

    @Test
    void f_zip_holdsTheSameFilesAsTheTarball() throws IOException {
        Set<String> inZip = new TreeSet<>();
        try (InputStream in = Files.newInputStream(ZIP); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (!entry.isDirectory()) {
                    inZip.add(entry.getName());
                }
            }
        }
        Set<String> unpacked;
        try (Stream<Path> files = Files.walk(home)) {
            unpacked = files.filter(Files::isRegularFile)
                    .map(p -> home.getFileName() + "/" + home.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(inZip).isEqualTo(unpacked);
    }

    private record Result(int code, String out, String err) {}

    /** Runs bin/doc-classify in {@code folder} with a bare environment: PATH = the tools folder, unless overridden. */
    private static Result run(Path folder, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/doc-classify").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", tools.toString());
        builder.environment().put("HOME", temp.toString());
        builder.environment().putAll(environment);
        Path out = Files.createTempFile(temp, "out", ".txt");
        Path err = Files.createTempFile(temp, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(240, TimeUnit.SECONDS)).as("bin/doc-classify %s ends", String.join(" ", args)).isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
