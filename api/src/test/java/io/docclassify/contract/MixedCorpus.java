package io.docclassify.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder of real documents from the shared corpus with a share of empty files, which fail at the read
 * stage: a run over it has a known failure rate, for tests of failure counts and alerts.
 */
public final class MixedCorpus {

    private MixedCorpus() {}

    /**
     * Copies the first {@code documents} Reuters texts (in name order) and two business PDFs into {@code dir},
     * and adds {@code empty} empty files; returns the number of files written.
     */
    public static int create(Path dir, int documents, int empty) throws IOException {
        Files.createDirectories(dir);
        List<Path> texts;
        try (Stream<Path> files = Files.walk(Corpus.root().resolve("reuters_r8_test/docs"))) {
            texts = files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".txt")).sorted()
                    .limit(documents).toList();
        }
        if (texts.size() < documents) {
            throw new IllegalStateException("the corpus has " + texts.size() + " Reuters texts, the test wants " + documents);
        }
        for (Path text : texts) {
            Files.copy(text, dir.resolve(text.getFileName()));
        }
        for (String pdf : List.of("business_docs/docs/invoice/invoice2data__QualityHosting.pdf",
                "business_docs/docs/contract/cuad_test__09_outsourcing_sykeshealthplan.pdf")) {
            Path file = Corpus.file(pdf);
            Files.copy(file, dir.resolve(file.getFileName()));
        }
        for (int i = 0; i < empty; i++) {
            Files.createFile(dir.resolve("empty-" + i + ".txt"));
        }
        return texts.size() + 2 + empty;
    }
}
