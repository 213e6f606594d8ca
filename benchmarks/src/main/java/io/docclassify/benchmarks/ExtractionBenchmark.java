package io.docclassify.benchmarks;

import io.docclassify.ExtractionLimits;
import io.docclassify.extract.TikaExtractor;
import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Text extraction alone (Tika in-process, the pipeline's extractor), over both cores.
 *
 * <p>Workloads: {@code pdfs}, the 138 real PDFs of the papers corpus (2,323 pages) in turn, one
 * document per operation; {@code office}, the Word, Excel, PowerPoint, RTF, OpenDocument and HTML
 * files among Tika's test documents that extract without error (chosen at setup). {@code budget}:
 * the default (stop at 5,000 characters) or {@code full} text (up to 100,000 characters, as
 * {@code --full-text}). Measured: documents per second over 2 threads, and pages per second as the
 * secondary result {@code pages} (pages of the documents extracted; the format's page count, so a
 * document stopped at the budget still counts all its pages, as the end-to-end figures do).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ExtractionBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Threads(2)
public class ExtractionBenchmark {

    private static final Set<String> OFFICE = Set.of("doc", "docx", "xls", "xlsx", "ppt", "pptx", "rtf", "odt",
            "ods", "odp", "html", "htm");

    /** Pages extracted, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Volume {
        public long pages;

        @Setup(Level.Iteration)
        public void reset() {
            pages = 0;
        }
    }

    @Param({"budget", "full"})
    String text;

    private TikaExtractor extractor;
    private List<Path> pdfs;
    private List<Path> office;
    private final AtomicInteger next = new AtomicInteger();

    @Setup
    public void setUp() throws ExtractionException {
        ExtractionLimits limits = text.equals("full") ? ExtractionLimits.defaults().withFullText(true) : ExtractionLimits.defaults();
        extractor = new TikaExtractor(limits);
        pdfs = BenchCorpus.files(BenchCorpus.papers(), Set.of("pdf"));
        office = new ArrayList<>();
        for (Path file : BenchCorpus.files(BenchCorpus.root().resolve("tika_test_documents"), OFFICE)) {
            try {
                extractor.extract(file, ExtractionProgress.NONE);
                office.add(file);
            } catch (ExtractionException | RuntimeException e) {
                // Broken and hostile test files measure the failure path, not extraction.
            }
        }
    }

    @Benchmark
    public ExtractedText pdfs(Volume volume) throws ExtractionException {
        ExtractedText extracted = extractor.extract(pdfs.get(next.getAndIncrement() % pdfs.size()), ExtractionProgress.NONE);
        volume.pages += extracted.pages() == null ? 0 : extracted.pages();
        return extracted;
    }

    @Benchmark
    public ExtractedText office() throws ExtractionException {
        return extractor.extract(office.get(next.getAndIncrement() % office.size()), ExtractionProgress.NONE);
    }
}
