package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import io.docclassify.DocumentRef;
import io.docclassify.source.DocumentSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folders ({@code --root}) that jobs of {@code doc-classify serve} may read: a path a client names is taken
 * only when it has no {@code ..} and its real path (symbolic links resolved) lies under one of them. Relative
 * paths are read against the first root. Files found while walking a folder are held to the same rule by the
 * pipeline, which records a link out of the folder as failed ({@code outside_root}).
 */
final class Roots {

    private final List<Path> roots;

    private Roots(List<Path> roots) {
        this.roots = roots;
    }

    static Roots of(List<Path> dirs) {
        if (dirs.isEmpty()) {
            throw new ConfigurationException("serve needs at least one --root DIR: the folders jobs may read");
        }
        List<Path> real = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new StartFailure(StartFailure.INPUT, "--root " + dir + " is not a folder; check the path", null);
            }
            try {
                real.add(dir.toRealPath());
            } catch (IOException e) {
                throw new StartFailure(StartFailure.INPUT, "--root " + dir + " cannot be read: " + e.getMessage(), e);
            }
        }
        return new Roots(List.copyOf(real));
    }

    /**
     * The real path of {@code given}, a client's path.
     *
     * @throws ServiceError 403 outside every root (also through {@code ..} or a link), 400 when it does not exist
     */
    Path confine(String given, String what) {
        if (given == null || given.isBlank()) {
            throw new ServiceError(400, what + " is empty; give a file or folder under a root of the service");
        }
        Path path = Path.of(given);
        for (Path part : path) {
            if (part.toString().equals("..")) {
                throw new ServiceError(403, what + " '" + given + "' contains '..'; give a path under " + roots);
            }
        }
        Path resolved = path.isAbsolute() ? path : roots.getFirst().resolve(path);
        Path real;
        try {
            real = resolved.toRealPath();
        } catch (IOException e) {
            if (!isUnder(resolved.normalize())) {
                throw new ServiceError(403, what + " '" + given + "' is outside the service's roots " + roots);
            }
            throw new ServiceError(400, what + " '" + given + "' does not exist or cannot be read; check the path");
        }
        if (!isUnder(real)) {
            throw new ServiceError(403, what + " '" + given + "' is outside the service's roots " + roots
                    + (real.equals(resolved.normalize()) ? "" : " (it leads to " + real + ")"));
        }
        return real;
    }

    /** Checks every document a manifest lists, before the job is accepted; returns the manifest's real path. */
    Path confineManifest(String given) {
        Path csv = confine(given, "manifest");
        if (!Files.isRegularFile(csv)) {
            throw new ServiceError(400, "manifest '" + given + "' is not a file; give a CSV with a 'path' column");
        }
        try (Stream<DocumentRef> refs = DocumentSources.manifest(csv).open()) {
            for (Iterator<DocumentRef> it = refs.iterator(); it.hasNext(); ) {
                Path listed = it.next().path();
                Path real = Files.exists(listed) ? listed.toRealPath() : listed.toAbsolutePath().normalize();
                if (!isUnder(real)) {
                    throw new ServiceError(403, "manifest '" + given + "' lists " + listed
                            + ", which is outside the service's roots " + roots);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ServiceError error) {
                throw error;
            }
            throw new ServiceError(400, "manifest '" + given + "' cannot be read: " + e.getMessage());
        }
        return csv;
    }

    private boolean isUnder(Path path) {
        return roots.stream().anyMatch(path::startsWith);
    }

    @Override
    public String toString() {
        return roots.toString();
    }
}
