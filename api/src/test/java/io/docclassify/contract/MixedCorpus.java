package io.docclassify.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder of real documents from the shared corpus with a share of corrupt ones (real PDFs cut short, each
 * at its own length so no two have the same content), which fail at the extract stage as
 * {@code parse_error}: a run over it has a known failure rate, for tests of failure counts and alerts.
 */
public final class MixedCorpus {

    private MixedCorpus() {}

    /**
     * Copies the first {@code documents} Reuters texts (in name order) and two business PDFs into {@code dir},
     * and adds {@code broken} truncated PDFs named {@code truncated-N.pdf}; returns the number of files written.
     */
    public static int create(Path dir, int documents, int broken) throws IOException {
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
        byte[] pdf = Files.readAllBytes(Corpus.file("business_docs/docs/invoice/invoice2data__QualityHosting.pdf"));
        for (int i = 0; i < broken; i++) {
            Files.write(dir.resolve("truncated-" + i + ".pdf"), Arrays.copyOf(pdf, 3000 + i));
        }
        return texts.size() + 2 + broken;
    }
}
