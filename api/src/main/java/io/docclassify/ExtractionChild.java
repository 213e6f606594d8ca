package io.docclassify;

import io.docclassify.extract.TikaExtractor;
import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import io.docclassify.spi.Extractor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The main class of an extraction child JVM, started by the library when extraction is isolated;
 * not meant to be run by hand.
 *
 * <p>Arguments: the parent's pid, then the extraction limits. It reads paths from stdin and answers
 * on stdout with the frames of {@code ChildProtocol}. It has no network: http, https and ftp URLs
 * refuse to open, so no parser can fetch an external entity or a remote reference. It halts when its
 * parent is gone, so a child stuck in a parser loop never outlives a killed run.
 */
public final class ExtractionChild {

    private static final Set<String> NETWORK_PROTOCOLS = Set.of("http", "https", "ftp");

    private ExtractionChild() {}

    /** Serves extraction requests until stdin closes. */
    public static void main(String[] args) throws IOException {
        // Parsers that print must not corrupt the frames: stdout is the protocol's alone.
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        System.setOut(System.err);
        watchParent(Long.parseLong(args[0]));
        blockNetwork();
        Extractor extractor = TikaExtractor.builtIn(ChildProtocol.limits(Arrays.asList(args).subList(1, args.length)));
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        out.writeByte(ChildProtocol.READY);
        out.flush();
        try {
            serve(extractor, in, out);
        } finally {
            // Stdin closes when the parent retires this child or dies; a dead parent cannot clean up after it.
            deleteOwnTemporaryFolder();
        }
    }

    private static void serve(Extractor extractor, DataInputStream in, DataOutputStream out) throws IOException {
        while (true) {
            String path;
            try {
                path = in.readUTF();
            } catch (EOFException e) {
                return;
            }
            try {
                ExtractedText text = extractor.extract(Path.of(path), new FrameProgress(out));
                ChildProtocol.writeResult(out, text);
            } catch (ExtractionException e) {
                ChildProtocol.writeFailure(out, e);
            } catch (RuntimeException e) {
                ChildProtocol.writeFailure(out, new ExtractionException(FailureReason.CRASHED, null,
                        "the extractor crashed: " + e, e));
            }
            out.flush();
        }
    }

    /** Sends a progress frame at most every 100 ms while text comes out; the parent's no-progress budget reads them. */
    private static final class FrameProgress implements ExtractionProgress {
        private static final long INTERVAL = TimeUnit.MILLISECONDS.toNanos(100);
        private final DataOutputStream out;
        private long last = System.nanoTime();

        FrameProgress(DataOutputStream out) {
            this.out = out;
        }

        @Override
        public void advanced() {
            long now = System.nanoTime();
            if (now - last < INTERVAL) {
                return;
            }
            last = now;
            try {
                out.writeByte(ChildProtocol.PROGRESS);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the parent closed the pipe", e);
            }
        }

        @Override
        public boolean cancelled() {
            return false;
        }
    }

    private static void watchParent(long pid) {
        Thread watcher = new Thread(() -> {
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            // The parent deletes this child's temporary folder when the child ends; a dead parent cannot.
            deleteOwnTemporaryFolder();
            Runtime.getRuntime().halt(2);
        }, "docclassify-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void deleteOwnTemporaryFolder() {
        Path folder = Path.of(System.getProperty("java.io.tmpdir"));
        if (!folder.getFileName().toString().startsWith("docclassify-child-")) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Halting anyway: an empty folder left in the temporary directory is the lesser harm.
        }
    }

    private static void blockNetwork() {
        URL.setURLStreamHandlerFactory(protocol -> NETWORK_PROTOCOLS.contains(protocol) ? new URLStreamHandler() {
            @Override
            protected URLConnection openConnection(URL url) throws IOException {
                throw new IOException("network access is disabled while extracting: " + url);
            }
        } : null);
    }
}
