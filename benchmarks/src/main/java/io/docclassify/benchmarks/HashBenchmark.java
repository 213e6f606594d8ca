package io.docclassify.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SHA-256 of file bytes, read from disk (the page cache, after the first pass) as the pipeline reads them.
 *
 * <p>Workload: the 138 PDFs of the papers corpus in turn, one file per operation, one thread.
 * Measured: files per second, and bytes per second as the secondary result {@code bytes}.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar HashBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class HashBenchmark {

    /** Bytes hashed, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Volume {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    private List<Path> files;
    private int next;
    private final byte[] buffer = new byte[64 * 1024];

    @Setup
    public void setUp() {
        files = BenchCorpus.files(BenchCorpus.papers(), Set.of("pdf"));
    }

    @Benchmark
    public byte[] sha256(Volume volume) throws IOException, NoSuchAlgorithmException {
        Path file = files.get(next++ % files.size());
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                volume.bytes += n;
            }
        }
        return digest.digest();
    }
}
