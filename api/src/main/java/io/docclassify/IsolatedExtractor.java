package io.docclassify;

import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design note: why our own child protocol and not Tika Pipes or ForkParser.
 *
 * Tika 3.3.1 ships both in tika-core (already on our classpath): PipesParser/PipesClient/PipesServer
 * and ForkParser. We use neither, for these reasons:
 *
 * - Same extraction in and out of the child. The child runs exactly TikaExtractor.builtIn (OCR
 *   included), with its text budget that stops the parse early (the main source of our throughput), its exact page count,
 *   its failure reasons (encrypted, too_large, ...) read from exception types, and its per-document
 *   parser-warning count. PipesServer parses with a RecursiveParserWrapper into a metadata list and
 *   reports failures as stack-trace strings in metadata: we would re-derive every reason from text,
 *   and isolated and in-process runs could label documents differently (DESIGN invariant 5).
 * - Our budgets. Pipes has one total timeout per file; our no-progress budget needs progress from
 *   inside the parse, which our child sends as one-byte frames (at most every 100 ms).
 * - Pipes wants a tika-config XML, fetchers and emitters, and starts its server with its own
 *   arguments; ForkParser serialises the parser and the content handler into a bootstrapped class
 *   loader per child and has no recycling. Both are more machinery than the ~300 lines here.
 *
 * What we take from Tika Pipes is its model (PipesClient.java): one child per worker, the caller
 * enforces the time budgets with System.nanoTime() and kills the child, -XX:+ExitOnOutOfMemoryError
 * turns any OOM into a prompt exit the parent can name, a dead child is replaced before the next
 * document, and children are recycled after N documents.
 *
 * The protocol is in ChildProtocol; the child is ExtractionChild, started with the parent's own java
 * binary and class path, so a host application needs nothing beyond its usual classpath.
 */

/**
 * Process isolation as an extraction layer: the built-in extractor ({@code TikaExtractor.builtIn},
 * OCR included) runs in a pool of child JVMs, one per concurrent caller, and a child whose document
 * overruns its time budget, runs out of memory or crashes the JVM is killed, with any process it
 * started (Tesseract), and replaced.
 *
 * <p>Thread-safe. A child serves one document at a time; the pool grows to the number of threads
 * extracting at once (the engine's workers) and keeps idle children for reuse.
 */
final class IsolatedExtractor implements BudgetedExtractor {

    private static final Logger LOG = LoggerFactory.getLogger(IsolatedExtractor.class);
    /** System properties that configure extraction, passed on to the children. */
    private static final List<String> FORWARDED_PROPERTIES = List.of("docclassify.tesseract", "docclassify.ocr.dpi");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final int STDERR_LINES_KEPT = 20;

    private final Isolation isolation;
    private final Duration total;
    private final Duration noProgress;
    private final List<String> command;
    private final Deque<Child> idle = new ConcurrentLinkedDeque<>();
    private final Set<Child> live = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog;
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean closed;

    IsolatedExtractor(Isolation isolation, ExtractionLimits limits) {
        this.isolation = isolation;
        this.total = limits.totalTimeout();
        this.noProgress = limits.noProgressTimeout();
        this.command = command(isolation, limits);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "docclassify-child-watchdog");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static List<String> command(Isolation isolation, ExtractionLimits limits) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + isolation.childHeap(),
                "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Djava.awt.headless=true"));
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // The flags that silence JDK warnings about native access and Unsafe, and the logging setup.
            if (argument.startsWith("--enable-native-access=") || argument.startsWith("--sun-misc-unsafe-memory-access=")
                    || argument.startsWith("-Dlogback.configurationFile=")) {
                command.add(argument);
            }
        }
        for (String property : FORWARDED_PROPERTIES) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ExtractionChild.class.getName(),
                Long.toString(ProcessHandle.current().pid())));
        command.addAll(ChildProtocol.limitsArguments(limits));
        return List.copyOf(command);
    }

    /** One child JVM and the ends of its pipes. */
    private final class Child {
        final int id = ids.incrementAndGet();
        final Process process;
        final Path temp;
        final DataOutputStream requests;
        final DataInputStream replies;
        final Deque<String> stderr = new ArrayDeque<>();
        final Thread drain;
        /** What the child wrote to stdout that is no frame: the JVM's own last words go there. */
        String strayOutput = "";
        int documents;

        Child(Process process, Path temp) {
            this.process = process;
            this.temp = temp;
            this.requests = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
            this.replies = new DataInputStream(new BufferedInputStream(process.getInputStream()));
            drain = new Thread(this::drainStderr, "docclassify-child-" + id + "-stderr");
            drain.setDaemon(true);
            drain.start();
        }

        /** Keeps the last lines the child printed, to name the cause when it dies. */
        private void drainStderr() {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), Charset.defaultCharset()))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    LOG.debug("extraction child {}: {}", id, line);
                    synchronized (stderr) {
                        stderr.addLast(line);
                        if (stderr.size() > STDERR_LINES_KEPT) {
                            stderr.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                LOG.debug("extraction child {}: stderr closed: {}", id, e.toString());
            }
        }

        String stderrTail() {
            synchronized (stderr) {
                return String.join("\n", stderr);
            }
        }

        /** Kills the child and what it started: a JVM killed with SIGKILL cannot end its own Tesseract. */
        void kill() {
            live.remove(this);
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }

        /** Ends a healthy child: it exits by itself once its stdin closes. */
        void retire() {
            live.remove(this);
            try {
                requests.close();
            } catch (IOException e) {
                process.destroyForcibly();
                return;
            }
            process.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(timeout -> {
                process.destroyForcibly();
                return null;
            });
        }
    }

    /** One document's extraction: the deadlines the watchdog checks, and how it ended (the first to decide wins). */
    private static final class Attempt {
        private static final String DONE = "done";
        final Child child;
        final Thread caller;
        final long deadline;
        final long noProgressNanos;
        volatile long lastProgress = System.nanoTime();
        private final AtomicReference<String> end = new AtomicReference<>();

        Attempt(Child child, Thread caller, Duration total, Duration noProgress) {
            this.child = child;
            this.caller = caller;
            this.deadline = System.nanoTime() + total.toNanos();
            this.noProgressNanos = noProgress.toNanos();
        }

        void check() {
            long now = System.nanoTime();
            String reason = caller.isInterrupted() ? "interrupted"
                    : now - deadline >= 0 ? "total"
                    : now - lastProgress >= noProgressNanos ? "no-progress" : null;
            if (reason != null && end.compareAndSet(null, reason)) {
                child.kill();
            }
        }

        /** Marks the document answered; {@code false} if the watchdog killed the child first. */
        boolean finish() {
            return end.compareAndSet(null, DONE);
        }

        /** Why the watchdog killed the child, or {@code null}. */
        String killedFor() {
            String value = end.get();
            return DONE.equals(value) ? null : value;
        }
    }

    @Override
    public String id() {
        return "isolated";
    }

    /**
     * Extracts {@code file} in a child, within the budgets; {@code progress} is not read (the child's is).
     *
     * @throws ExtractionException the document's failure: the extractor's own, or {@code timeout},
     *     {@code out_of_memory} or {@code crashed} when its child was killed or died; also when the
     *     calling thread was interrupted (its child is killed and the interrupt flag stays set)
     */
    @Override
    public ExtractedText extract(Path file, ExtractionProgress progress) throws ExtractionException {
        if (closed) {
            throw new IllegalStateException("the extraction children were shut down (the classifier is closed)");
        }
        if (Thread.currentThread().isInterrupted()) {
            throw TimeLimitedExtractor.interrupted();
        }
        Child child = idle.pollFirst();
        if (child == null) {
            child = start();
        }
        Attempt attempt = new Attempt(child, Thread.currentThread(), total, noProgress);
        ScheduledFuture<?> checks = watchdog.scheduleWithFixedDelay(attempt::check, 20, 20, TimeUnit.MILLISECONDS);
        try {
            child.requests.writeUTF(file.toString());
            child.requests.flush();
            while (true) {
                int frame = child.replies.read();
                if (frame == ChildProtocol.PROGRESS) {
                    attempt.lastProgress = System.nanoTime();
                } else if (frame == ChildProtocol.RESULT) {
                    ExtractedText text = ChildProtocol.readResult(child.replies);
                    releaseOrDrop(attempt);
                    return text;
                } else if (frame == ChildProtocol.FAILURE) {
                    ExtractionException failure = ChildProtocol.readFailure(child.replies);
                    releaseOrDrop(attempt);
                    throw failure;
                } else {
                    if (frame >= 0) {
                        child.strayOutput = (char) frame + new String(child.replies.readNBytes(4096), Charset.defaultCharset());
                    }
                    break;
                }
            }
        } catch (IOException e) {
            LOG.debug("extraction child {} pipe broke on {}: {}", child.id, file, e.toString());
        } finally {
            checks.cancel(false);
        }
        child.kill();
        throw death(attempt);
    }

    /** The answer arrived; the child goes back to the pool unless the watchdog killed it in the meantime. */
    private void releaseOrDrop(Attempt attempt) {
        if (attempt.finish()) {
            release(attempt.child);
        } else {
            attempt.child.kill();
        }
    }

    private void release(Child child) {
        child.documents++;
        if (closed || child.documents >= isolation.recycleAfter()) {
            LOG.debug("retiring extraction child {} after {} documents", child.id, child.documents);
            child.retire();
        } else {
            idle.addFirst(child);
        }
    }

    /** Names why a child ended mid-document: killed for a budget, or died by itself. */
    private ExtractionException death(Attempt attempt) {
        String killedFor = attempt.killedFor();
        if ("interrupted".equals(killedFor)) {
            return TimeLimitedExtractor.interrupted();
        }
        Process process = attempt.child.process;
        Integer exit = null;
        try {
            if (process.waitFor(10, TimeUnit.SECONDS)) {
                exit = process.exitValue();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return TimeLimitedExtractor.interrupted();
        }
        // Also deleted on exit, asynchronously; here so that the folder is gone when the document's failure is.
        deleteTree(attempt.child.temp);
        if (killedFor != null) {
            return TimeLimitedExtractor.overrun(killedFor.equals("total"), total, noProgress,
                    "; its extraction process was killed and replaced");
        }
        try {
            attempt.child.drain.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TimeLimitedExtractor.interrupted();
        }
        String tail = attempt.child.stderrTail();
        // -XX:+ExitOnOutOfMemoryError prints "Terminating due to java.lang.OutOfMemoryError" and exits with 3.
        if (tail.contains("OutOfMemoryError") || attempt.child.strayOutput.contains("OutOfMemoryError")
                || Integer.valueOf(3).equals(exit)) {
            return new ExtractionException(FailureReason.OUT_OF_MEMORY, null, "the parser ran out of the"
                    + " extraction process's heap (-Xmx" + isolation.childHeap() + ", Isolation.childHeap); the process"
                    + " was replaced", null);
        }
        String lastLine = tail.isEmpty() ? "" : ": " + tail.substring(tail.lastIndexOf('\n') + 1);
        return new ExtractionException(FailureReason.CRASHED, null, "the extraction process died"
                + (exit == null ? "" : " with exit code " + exit) + " while parsing this document" + lastLine
                + "; it was replaced", null);
    }

    private Child start() {
        Process process;
        Path temp;
        try {
            // Parsers spool to temporary files; a killed child cannot delete its own, so the parent does.
            temp = Files.createTempDirectory("docclassify-child-");
            List<String> withTemp = new ArrayList<>(command);
            withTemp.add(1, "-Djava.io.tmpdir=" + temp);
            ProcessBuilder builder = new ProcessBuilder(withTemp);
            // A parser has no business with the run's credentials (PGPASSWORD, API keys).
            builder.environment().keySet().removeIf(IsolatedExtractor::looksSecret);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start an extraction child JVM (" + command.get(0) + "): " + e
                    + "; check the java binary and the temporary folder, or extract in-process (without DocumentClassifier.isolate)", e);
        }
        process.onExit().thenRun(() -> deleteTree(temp));
        Child child = new Child(process, temp);
        live.add(child);
        if (closed) {
            child.kill();
            throw new IllegalStateException("the extraction children were shut down (the classifier is closed)");
        }
        ScheduledFuture<?> startLimit = watchdog.schedule(child::kill, START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        int first;
        try {
            first = child.replies.read();
        } catch (IOException e) {
            first = -1;
        } finally {
            startLimit.cancel(false);
        }
        if (first != ChildProtocol.READY) {
            child.kill();
            throw new IllegalStateException("an extraction child JVM did not start (it printed: " + child.stderrTail()
                    + "); check Isolation.childHeap and the class path, or extract in-process (without DocumentClassifier.isolate)");
        }
        LOG.debug("extraction child {} started (pid {})", child.id, process.pid());
        return child;
    }

    /** Whether an environment variable's name suggests a credential, which children do not inherit. */
    static boolean looksSecret(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.contains("PASSWORD") || upper.contains("PASSWD") || upper.contains("SECRET")
                || upper.contains("TOKEN") || upper.contains("CREDENTIAL") || upper.contains("APIKEY")
                || upper.endsWith("_KEY") || upper.contains("_KEY_");
    }

    private static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("could not delete the temporary folder {} of an extraction child: {}", folder, e.toString());
        }
    }

    /** Child JVMs started so far, replacements included. */
    int started() {
        return ids.get();
    }

    @Override
    public int abandoned() {
        return 0;
    }

    @Override
    public void close() {
        closed = true;
        for (Child child = idle.pollFirst(); child != null; child = idle.pollFirst()) {
            child.retire();
        }
        for (Child child : List.copyOf(live)) {
            child.kill();
        }
        watchdog.shutdownNow();
    }
}
