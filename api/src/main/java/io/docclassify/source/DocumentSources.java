package io.docclassify.source;

import io.docclassify.ConfigurationException;
import io.docclassify.DocumentRef;
import io.docclassify.spi.DocumentSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Ready-made document sources: directory trees, explicit files, CSV manifests, and mixes of them. */
public final class DocumentSources {

    private DocumentSources() {}

    /**
     * Every file under {@code root}, walked lazily; links out of the root are refused unless
     * {@code followLinks}, which also follows links to directories.
     */
    public static DocumentSource directory(Path root, boolean followLinks) {
        return () -> {
            if (!Files.isDirectory(root)) {
                throw new ConfigurationException("input directory " + root + " does not exist or is not a directory");
            }
            DirectoryWalk walk = new DirectoryWalk(root, followLinks);
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(walk, Spliterator.ORDERED | Spliterator.NONNULL),
                    false).onClose(walk::close);
        };
    }

    /** The given files, in order; a missing one ends as a failed record, not an error. */
    public static DocumentSource files(List<Path> files) {
        List<Path> copy = List.copyOf(files);
        return () -> copy.stream().map(DocumentRef::of);
    }

    /**
     * The documents a CSV manifest lists: a header row with a {@code path} column (paths relative to
     * the CSV's folder) and, optionally, {@code labelColumn} with each document's expected label.
     */
    public static DocumentSource manifest(Path csv, String labelColumn) {
        return new ManifestSource(csv, labelColumn);
    }

    /** A manifest whose label column is {@code label}. */
    public static DocumentSource manifest(Path csv) {
        return manifest(csv, "label");
    }

    /**
     * What a user names on the command line: directories are walked, files taken as they are.
     *
     * @throws ConfigurationException when an input does not exist, before any work starts
     */
    public static DocumentSource inputs(List<Path> inputs, boolean followLinks) {
        if (inputs.isEmpty()) {
            throw new ConfigurationException("no input given; name at least one file or directory");
        }
        List<DocumentSource> sources = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                sources.add(directory(input, followLinks));
            } else if (Files.exists(input)) {
                sources.add(files(List.of(input)));
            } else {
                throw new ConfigurationException("input " + input + " does not exist; check the path");
            }
        }
        return concat(sources);
    }

    /** The documents of each source in turn, each opened only when the one before it is done. */
    public static DocumentSource concat(List<DocumentSource> sources) {
        List<DocumentSource> copy = List.copyOf(sources);
        if (copy.size() == 1) {
            return copy.get(0);
        }
        // Not Stream.flatMap: iterating its result buffers each inner stream whole, a whole tree at once.
        return () -> {
            ConcatIterator refs = new ConcatIterator(copy);
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(refs, Spliterator.ORDERED), false)
                    .onClose(refs::close);
        };
    }

    private static final class ConcatIterator implements Iterator<DocumentRef> {
        private final Iterator<DocumentSource> sources;
        private Stream<DocumentRef> current;
        private Iterator<DocumentRef> refs = Collections.emptyIterator();

        ConcatIterator(List<DocumentSource> sources) {
            this.sources = sources.iterator();
        }

        @Override
        public boolean hasNext() {
            while (!refs.hasNext() && sources.hasNext()) {
                close();
                try {
                    current = sources.next().open();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                refs = current.iterator();
            }
            return refs.hasNext();
        }

        @Override
        public DocumentRef next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return refs.next();
        }

        void close() {
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }
}
