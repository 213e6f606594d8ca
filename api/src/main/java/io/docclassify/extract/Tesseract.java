package io.docclassify.extract;

import io.docclassify.ConfigurationException;
import io.docclassify.FailureReason;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code tesseract} command on one image at a time, with one OpenMP thread, and kills it
 * when the document's budget runs out, its caller gives up, or it prints more than any page holds.
 * While it uses CPU time it makes progress (a page takes seconds, more on a loaded machine); a
 * process that sleeps or waits uses none, so the caller's no-progress budget ends it.
 *
 * <p>Thread-safe: each call starts its own process, so a worker runs at most one at a time.
 */
final class Tesseract {

    /** A system property naming the {@code tesseract} executable, for a host whose PATH lacks it. */
    static final String EXECUTABLE_PROPERTY = "docclassify.tesseract";

    /** More than a dense page of text: output past this is not OCR text, and the process is killed. */
    private static final long MAX_OUTPUT_BYTES = 1024 * 1024;
    private static final long POLL_MILLIS = 20;
    /** How often the process's CPU time is read to tell a slow page from a hung process. */
    private static final long CPU_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long LIST_LANGUAGES_SECONDS = 20;

    private final Path executable;
    private final String languages;

    private Tesseract(Path executable, String languages) {
        this.executable = executable;
        this.languages = languages;
    }

    /**
     * Finds {@code tesseract} (the {@value #EXECUTABLE_PROPERTY} property, else the PATH) and checks that it
     * has every one of {@code languages} ({@code eng+deu}).
     *
     * @throws ConfigurationException naming the Debian package to install when either is missing
     */
    static Tesseract find(String languages) {
        Path executable = locate();
        Set<String> installed = installedLanguages(executable);
        List<String> missing = new ArrayList<>();
        for (String language : languages.split("\\+")) {
            if (!installed.contains(language)) {
                missing.add(language);
            }
        }
        if (!missing.isEmpty()) {
            List<String> packages = missing.stream().map(l -> "tesseract-ocr-" + l.replace('_', '-')).toList();
            throw new ConfigurationException("Tesseract (" + executable + ") has no language pack for " + missing
                    + " (ExtractionLimits.ocrLanguages is '" + languages + "'; installed: " + installed
                    + "); install " + String.join(" ", packages) + " (Debian: apt-get install "
                    + String.join(" ", packages) + ") or choose installed languages");
        }
        return new Tesseract(executable, languages);
    }

    private static Path locate() {
        String configured = System.getProperty(EXECUTABLE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new ConfigurationException("the Tesseract executable " + path + " (system property "
                        + EXECUTABLE_PROPERTY + ") does not exist or cannot be run");
            }
            return path;
        }
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "tesseract"))) {
                return Path.of(dir, "tesseract");
            }
        }
        throw new ConfigurationException("OCR needs Tesseract, and no 'tesseract' is on the PATH; install it (Debian:"
                + " apt-get install tesseract-ocr tesseract-ocr-eng) or turn OCR off (ExtractionLimits.ocr)");
    }

    private static Set<String> installedLanguages(Path executable) {
        try {
            Path output = Files.createTempFile("docclassify-tesseract-", ".txt");
            try {
                Process process = new ProcessBuilder(executable.toString(), "--list-langs")
                        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
                if (!process.waitFor(LIST_LANGUAGES_SECONDS, TimeUnit.SECONDS)) {
                    kill(process);
                    throw new ConfigurationException("Tesseract (" + executable + ") did not list its languages within "
                            + LIST_LANGUAGES_SECONDS + " s; check the Tesseract installation");
                }
                Set<String> languages = new LinkedHashSet<>();
                // The first line says where the languages are ("List of available languages in ..."), the rest name one each.
                for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
                    if (!line.isBlank() && !line.contains(" ")) {
                        languages.add(line.strip());
                    }
                }
                return languages;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new ConfigurationException("could not ask Tesseract (" + executable + ") for its languages: " + e
                    + "; check the Tesseract installation (Debian: tesseract-ocr)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigurationException("interrupted while asking Tesseract for its languages");
        }
    }

    /**
     * Recognises the text of {@code image}, a file Tesseract reads (PNG, JPEG, TIFF, PGM...).
     *
     * @param deadline the {@link System#nanoTime()} by which it must be done
     * @param work an empty folder of the caller's for Tesseract's output
     * @throws ExtractionException {@code timeout} past the deadline or once the caller cancelled (the
     *     thread's interrupt flag is kept), {@code ocr_failed} when Tesseract failed or printed garbage
     */
    String recognise(Path image, long deadline, ExtractionProgress progress, Path work) throws ExtractionException {
        Path out = work.resolve("ocr-out.txt");
        Path err = work.resolve("ocr-err.txt");
        ProcessBuilder builder = new ProcessBuilder(executable.toString(), image.toAbsolutePath().toString(), "stdout",
                "-l", languages)
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // One thread per process: Tesseract's OpenMP would otherwise start a thread per core in every worker.
        builder.environment().put("OMP_THREAD_LIMIT", "1");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ExtractionException(FailureReason.OCR_FAILED, null, "could not start Tesseract: " + e, e);
        }
        Duration cpu = Duration.ZERO;
        long cpuChecked = System.nanoTime();
        try {
            while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() - cpuChecked >= CPU_CHECK_NANOS) {
                    cpuChecked = System.nanoTime();
                    Duration used = process.info().totalCpuDuration().orElse(Duration.ZERO);
                    if (used.compareTo(cpu) > 0) {
                        cpu = used;
                        progress.advanced();
                    }
                }
                if (progress.cancelled() || System.nanoTime() - deadline >= 0) {
                    kill(process);
                    throw new ExtractionException(FailureReason.TIMEOUT, null,
                            "Tesseract was still running when the extraction's time budget ran out; it was killed", null);
                }
                if (Files.size(out) > MAX_OUTPUT_BYTES) {
                    kill(process);
                    throw new ExtractionException(FailureReason.OCR_FAILED, null, "Tesseract printed more than "
                            + MAX_OUTPUT_BYTES / 1024 + " KiB for one page, which is no page's text; it was killed",
                            null);
                }
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new ExtractionException(FailureReason.TIMEOUT, null, "interrupted while Tesseract ran; it was killed",
                    e);
        } catch (IOException e) {
            kill(process);
            throw new ExtractionException(FailureReason.OCR_FAILED, null, "could not read Tesseract's output: " + e, e);
        }
        try {
            if (process.exitValue() != 0) {
                throw new ExtractionException(FailureReason.OCR_FAILED, null, "Tesseract failed with exit code "
                        + process.exitValue() + lastLine(err), null);
            }
            // Decoded leniently: invalid UTF-8 becomes U+FFFD, which the quality check counts as garbage.
            String text = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
            if (!TextQuality.of(text).readable()) {
                throw new ExtractionException(FailureReason.OCR_FAILED, null,
                        "Tesseract printed no text but garbage (control characters or invalid UTF-8)", null);
            }
            return text;
        } catch (IOException e) {
            throw new ExtractionException(FailureReason.OCR_FAILED, null, "could not read Tesseract's output: " + e, e);
        }
    }

    private static String lastLine(Path err) {
        try {
            List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank()).toList();
            return lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1).strip();
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** Kills the process and anything it started, and waits briefly so that no process outlives the call. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
