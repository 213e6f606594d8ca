package io.docclassify.source;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.docclassify.ConfigurationException;
import io.docclassify.DocumentRef;
import io.docclassify.spi.DocumentSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** A CSV manifest with a header and the columns {@code path} and, optionally, a label column. */
final class ManifestSource implements DocumentSource {

    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.TRIM_SPACES).build();

    private final Path csv;
    private final String labelColumn;

    ManifestSource(Path csv, String labelColumn) {
        this.csv = csv;
        this.labelColumn = labelColumn;
    }

    @Override
    public Stream<DocumentRef> open() throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new ConfigurationException("manifest " + csv + " does not exist or is not a file");
        }
        Path base = csv.toAbsolutePath().getParent();
        MappingIterator<List<String>> rows = CSV.readerForListOf(String.class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY)
                .with(CsvSchema.emptySchema())
                .readValues(csv.toFile());
        List<String> header = rows.hasNextValue() ? rows.nextValue() : List.of();
        int pathIndex = header.indexOf("path");
        int labelIndex = header.indexOf(labelColumn);
        if (pathIndex < 0) {
            rows.close();
            throw new ConfigurationException("manifest " + csv + " needs a header with a 'path' column; its header is "
                    + header);
        }
        Spliterator<DocumentRef> refs = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED) {
            @Override
            public boolean tryAdvance(java.util.function.Consumer<? super DocumentRef> action) {
                try {
                    while (rows.hasNextValue()) {
                        List<String> row = rows.nextValue();
                        if (row.size() <= pathIndex || row.get(pathIndex).isBlank()) {
                            continue;
                        }
                        String label = labelIndex >= 0 && row.size() > labelIndex && !row.get(labelIndex).isBlank()
                                ? row.get(labelIndex)
                                : null;
                        action.accept(new DocumentRef(base.resolve(row.get(pathIndex)).normalize(), null, label, true));
                        return true;
                    }
                    return false;
                } catch (IOException e) {
                    throw new UncheckedIOException("reading manifest " + csv, e);
                }
            }
        };
        return StreamSupport.stream(refs, false).onClose(() -> {
            try {
                rows.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
