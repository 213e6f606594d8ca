package io.docclassify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library speaks its own language: no string literal in the library's main code (this module and the
 * engine modules beside it) names a command-line flag. A host embedding the library reads
 * {@code LlmClassifier.model must name a model}, and the command line maps setting keys to its flags.
 */
class LibraryMessagesTest {

    /** A command-line flag: two dashes and a lower-case letter. */
    private static final Pattern FLAG = Pattern.compile("--[a-z][a-z0-9-]*");
    /**
     * Options of the programs the library starts (the {@code java} launcher of extraction children,
     * {@code tesseract}): arguments to them, not ours to rename.
     */
    private static final Set<String> PROGRAM_OPTIONS =
            Set.of("--enable-native-access", "--sun-misc-unsafe-memory-access", "--list-langs");

    @Test
    void noStringLiteralInTheLibraryNamesACommandLineFlag() throws IOException {
        List<Path> roots = new ArrayList<>(List.of(Path.of("src/main/java")));
        try (Stream<Path> siblings = Files.list(Path.of(".."))) {
            siblings.filter(p -> p.getFileName().toString().startsWith("engine-"))
                    .map(p -> p.resolve("src/main/java")).filter(Files::isDirectory).forEach(roots::add);
        }
        List<String> found = new ArrayList<>();
        int files = 0;
        for (Path root : roots) {
            List<Path> sources;
            try (Stream<Path> walk = Files.walk(root)) {
                sources = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            }
            for (Path source : sources) {
                files++;
                for (Literal literal : literals(Files.readString(source))) {
                    Matcher flag = FLAG.matcher(literal.text());
                    while (flag.find()) {
                        if (!PROGRAM_OPTIONS.contains(flag.group())) {
                            found.add(source.normalize() + ":" + literal.line() + ": " + flag.group());
                        }
                    }
                }
            }
        }
        assertThat(files).as("library sources read").isGreaterThan(50);
        assertThat(found).as("string literals naming a command-line flag (name the API setting instead, such as"
                + " ExtractionLimits.maxBytes; the CLI maps keys to flags)").isEmpty();
    }

    @Test
    void theScannerFindsFlagsInStringsAndTextBlocks_butNotInComments() {
        String source = """
                // a comment naming --resume is fine
                /* so is --overwrite here */
                String a = "pass --resume";
                char c = '"';
                String b = \"""
                    text block with --ocr
                    \""";
                String d = "escaped \\" --quote";
                """;
        assertThat(literals(source)).extracting(Literal::line).containsExactly(3, 5, 8);
        assertThat(literals(source).stream().map(Literal::text).filter(t -> FLAG.matcher(t).find()))
                .hasSize(3);
    }

    /** A string literal or text block's content, and the line it starts on. */
    record Literal(String text, int line) {}

    /** The string literals and text blocks of Java source, skipping comments and character literals. */
    static List<Literal> literals(String source) {
        List<Literal> literals = new ArrayList<>();
        int line = 1;
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (source.startsWith("//", i)) {
                i = source.indexOf('\n', i);
                i = i < 0 ? source.length() : i;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? source.length() : end + 2;
                line += count(source, i, end);
                i = end;
            } else if (c == '\'') {
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != '\'') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                i = end + 1;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                end = end < 0 ? source.length() : end;
                literals.add(new Literal(source.substring(i + 3, end), line));
                line += count(source, i, end);
                i = end + 3;
            } else if (c == '"') {
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != '"' && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                literals.add(new Literal(source.substring(i + 1, Math.min(end, source.length())), line));
                i = end + 1;
            } else {
                i++;
            }
        }
        return literals;
    }

    private static int count(String source, int from, int to) {
        int lines = 0;
        for (int i = from; i < Math.min(to, source.length()); i++) {
            if (source.charAt(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }
}
