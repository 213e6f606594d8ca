package io.docclassify.source;

import io.docclassify.DocumentRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A depth-first walk of a directory tree that holds one open directory stream per level, never a listing.
 *
 * <p>Unlike {@link Files#walk}, an unreadable subdirectory is logged and passed over instead of
 * ending the walk. Symbolic links to directories are not followed unless asked, and then never
 * back up into a directory being walked; links to files are returned, and the pipeline refuses
 * those that lead out of the root unless asked.
 */
final class DirectoryWalk implements Iterator<DocumentRef>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryWalk.class);

    private final Path root;
    private final boolean followLinks;
    private final Deque<DirectoryStream<Path>> open = new ArrayDeque<>();
    private final Deque<Iterator<Path>> levels = new ArrayDeque<>();
    /** The identity of each directory on the way down, so that a link back up is noticed. */
    private final Deque<Object> ancestors = new ArrayDeque<>();
    private DocumentRef next;

    DirectoryWalk(Path root, boolean followLinks) throws IOException {
        this.root = root;
        this.followLinks = followLinks;
        descend(root);
    }

    private void descend(Path dir) throws IOException {
        Object key = Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
        if (key != null && ancestors.contains(key)) {
            LOG.warn("Not following {}: it links back to a directory above it", dir);
            return;
        }
        DirectoryStream<Path> stream = Files.newDirectoryStream(dir);
        open.push(stream);
        levels.push(stream.iterator());
        ancestors.push(key == null ? new Object() : key);
    }

    @Override
    public boolean hasNext() {
        while (next == null && !levels.isEmpty()) {
            Iterator<Path> level = levels.peek();
            if (!level.hasNext()) {
                levels.pop();
                ancestors.pop();
                closeQuietly(open.pop());
                continue;
            }
            Path path = level.next();
            boolean link = Files.isSymbolicLink(path);
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) || (link && followLinks && Files.isDirectory(path))) {
                try {
                    descend(path);
                } catch (IOException | UncheckedIOException e) {
                    LOG.warn("Cannot list directory {}; its files are left out: {}", path, e.toString());
                }
            } else if (link && Files.isDirectory(path)) {
                LOG.info("Not following the directory link {} (allow it with followLinks)", path);
            } else {
                next = new DocumentRef(path, root, null, followLinks);
            }
        }
        return next != null;
    }

    @Override
    public DocumentRef next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        DocumentRef ref = next;
        next = null;
        return ref;
    }

    @Override
    public void close() {
        while (!open.isEmpty()) {
            closeQuietly(open.pop());
        }
        levels.clear();
        ancestors.clear();
    }

    private static void closeQuietly(DirectoryStream<Path> stream) {
        try {
            stream.close();
        } catch (IOException e) {
            LOG.debug("Closing a directory stream failed", e);
        }
    }
}
