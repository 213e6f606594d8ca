package io.docclassify.classify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.docclassify.ExtractionLimits;
import io.docclassify.extract.TikaExtractor;
import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Labelled corpus documents with their extracted text, extracted once and cached under {@code target/}.
 *
 * <p>Texts are extracted by {@link TikaExtractor} with a 10,000-character budget; a smaller budget is
 * the same text cut shorter (the extractor keeps the first characters), so one pass serves every budget.
 */
final class ExtractedCorpus {

    static final int MAX_BUDGET = 10_000;

    /**
     * One labelled document; {@code text} is {@code null} when extraction failed. {@code source} is the
     * CSV's {@code source} column, or else its {@code set} column and the label (one source per set and
     * label in {@code document_type_labels.csv}).
     */
    record Doc(String path, String label, String source, String text, String title, String mediaType, Integer pages) {

        ExtractedText extracted(int budget) {
            String kept = text.length() > budget ? text.substring(0, budget) : text;
            return new ExtractedText(kept, title, mediaType, pages, text.length(), text.length() <= budget, 0);
        }
    }

    private ExtractedCorpus() {}

    /** The rows of a labels CSV ({@code labelColumn} names the label), with their texts. */
    static List<Doc> load(Path csv, String labelColumn) {
        Path cache = Path.of("target", "extracted-v2-" + csv.getParent().getFileName() + "-" + csv.getFileName() + ".json");
        ObjectMapper json = new ObjectMapper();
        try {
            if (Files.isRegularFile(cache)) {
                return json.readValue(cache.toFile(), new TypeReference<List<Doc>>() {});
            }
            List<Map<String, String>> rows;
            try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                    .with(CsvSchema.emptySchema().withHeader()).readValues(csv.toFile())) {
                rows = it.readAll();
            }
            TikaExtractor extractor = new TikaExtractor(ExtractionLimits.defaults().withTextBudget(MAX_BUDGET));
            Map<String, Doc> docs = new ConcurrentHashMap<>();
            rows.parallelStream().forEach(row -> {
                String path = row.get("path");
                String label = row.get(labelColumn);
                String source = row.containsKey("source") ? row.get("source") : row.get("set") + "/" + label;
                try {
                    ExtractedText t = extractor.extract(csv.getParent().resolve(path), ExtractionProgress.NONE);
                    docs.put(path, new Doc(path, label, source, t.text(), t.title(), t.mediaType(), t.pages()));
                } catch (ExtractionException | RuntimeException e) {
                    docs.put(path, new Doc(path, label, source, null, null, "application/octet-stream", null));
                }
            });
            List<Doc> list = rows.stream().map(r -> docs.get(r.get("path"))).toList();
            Files.createDirectories(cache.getParent());
            json.writeValue(cache.toFile(), list);
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Within each label, paths sorted: index 0, 2, 4... ({@code odd == false}) or 1, 3, 5... ({@code
     * odd == true}); the split of {@code BuiltInTaxonomyAccuracyTest}.
     */
    static List<Doc> half(List<Doc> docs, boolean odd) {
        Map<String, List<Doc>> byLabel = docs.stream().collect(Collectors.groupingBy(Doc::label, TreeMap::new, Collectors.toList()));
        List<Doc> half = new ArrayList<>();
        byLabel.forEach((label, list) -> {
            List<Doc> sorted = list.stream().sorted(Comparator.comparing(Doc::path)).toList();
            for (int i = odd ? 1 : 0; i < sorted.size(); i += 2) {
                half.add(sorted.get(i));
            }
        });
        return half;
    }

    /** A stratified split by a seed: per label, shuffled, the first {@code n} go to the first list. */
    static List<List<Doc>> sample(List<Doc> docs, int n, long seed) {
        Map<String, List<Doc>> byLabel = docs.stream().collect(Collectors.groupingBy(Doc::label, TreeMap::new, Collectors.toList()));
        List<Doc> picked = new ArrayList<>();
        List<Doc> rest = new ArrayList<>();
        Random random = new Random(seed);
        byLabel.forEach((label, list) -> {
            List<Doc> shuffled = new ArrayList<>(list.stream().sorted(Comparator.comparing(Doc::path)).toList());
            java.util.Collections.shuffle(shuffled, random);
            picked.addAll(shuffled.subList(0, Math.min(n, shuffled.size())));
            rest.addAll(shuffled.subList(Math.min(n, shuffled.size()), shuffled.size()));
        });
        return List.of(picked, rest);
    }
}
