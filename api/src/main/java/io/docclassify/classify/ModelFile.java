package io.docclassify.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docclassify.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The linear model's file format: one binary file that says what it is, where it came from, and
 * whether it is intact.
 *
 * <pre>
 * "DCLM"                      4 bytes, magic
 * format version              int (big-endian): 1 for words alone, {@value #FORMAT} with sentence features
 * header length, header       int, then that many bytes of UTF-8 JSON: kind, labels, examples per
 *                             label, feature settings, solver, training-data digest, doc-classify
 *                             version, created-at
 * body                        int labels, int buckets, int training documents, int rows,
 *                             double[labels] bias, then per row (a bucket some training document
 *                             held): int bucket, int document frequency, double[labels] weights;
 *                             format 2 then int dimensions, and per dimension double[labels] weights
 * SHA-256                     32 bytes over everything before it
 * </pre>
 *
 * <p>A model of words alone is written in format 1, byte for byte as before sentence features
 * existed, so older versions still read it; format 1 files read as words alone. A format 2 header's
 * {@code features.set} is {@code words+embedding}, and {@code features.sentence} names the sentence model, its dimensions, the
 * windows read and their weight.
 *
 * <p>The model's id digest covers the labels, the settings and the body, not the created-at time:
 * training twice on the same documents gives the same id.
 */
final class ModelFile {

    static final byte[] MAGIC = "DCLM".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT = 2;
    /** The format of models that read words alone. */
    static final int WORDS_FORMAT = 1;
    private static final int DIGEST_BYTES = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFile() {}

    static void write(LinearClassifier model, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(model.sentence() == null ? WORDS_FORMAT : FORMAT);
        byte[] header = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(header(model));
        out.writeInt(header.length);
        out.write(header);
        out.write(body(model));
        out.flush();
        byte[] content = bytes.toByteArray();
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = parent.resolve("." + file.getFileName() + ".tmp");
        try {
            Files.write(temp, content);
            try (var append = Files.newOutputStream(temp, java.nio.file.StandardOpenOption.APPEND)) {
                append.write(LinearClassifier.sha256().digest(content));
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Map<String, Object> header(LinearClassifier model) {
        LinearClassifier.Settings s = model.settings();
        Map<String, Object> features = new LinkedHashMap<>();
        features.put("tokens", "lower-cased runs of letters and digits");
        features.put("hash", HashedFeatures.HASH);
        features.put("buckets", s.buckets());
        features.put("unigrams", true);
        features.put("bigrams", s.bigrams());
        features.put("titleWords", true);
        features.put("signed", s.signed());
        features.put("tf", "sublinear");
        features.put("idf", "smooth");
        features.put("norm", "l2");
        if (model.sentence() != null) {
            features.put("set", LinearClassifier.Features.WORDS_AND_EMBEDDING.label());
            Map<String, Object> sentence = new LinkedHashMap<>();
            sentence.put("model", MiniLm.ID);
            sentence.put("dimensions", SentenceFeatures.DIMENSIONS);
            sentence.put("view", SentenceFeatures.VIEW);
            sentence.put("windows", model.sentence().windows());
            sentence.put("weight", model.sentence().weight());
            features.put("sentence", sentence);
        }
        Map<String, Object> solver = new LinkedHashMap<>();
        solver.put("library", "liblinear 2.44");
        solver.put("type", "L2R_L2LOSS_SVC_DUAL one-vs-rest");
        solver.put("softmaxScale", LinearClassifier.SOFTMAX_SCALE);
        solver.put("c", s.c());
        solver.put("epsilon", LinearClassifier.SOLVER_EPSILON);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("documents", model.provenance().documents());
        training.put("examplesPerLabel", model.provenance().examplesPerLabel());
        training.put("sha256", model.provenance().trainingDigest());
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("kind", "linear");
        header.put("labels", model.labels());
        header.put("features", features);
        header.put("solver", solver);
        header.put("training", training);
        header.put("docClassifyVersion", model.provenance().docClassifyVersion());
        header.put("createdAt", model.provenance().createdAt().toString());
        return header;
    }

    private static byte[] body(LinearClassifier model) {
        int labels = model.labels().size();
        int[] df = model.df();
        double[] weights = model.weights();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(labels);
            out.writeInt(df.length);
            out.writeInt(model.provenance().documents());
            out.writeInt(model.usedBuckets());
            for (double b : model.bias()) {
                out.writeDouble(b);
            }
            for (int bucket = 0; bucket < df.length; bucket++) {
                if (df[bucket] > 0) {
                    out.writeInt(bucket);
                    out.writeInt(df[bucket]);
                    for (int l = 0; l < labels; l++) {
                        out.writeDouble(weights[bucket * labels + l]);
                    }
                }
            }
            if (model.sentence() != null) {
                out.writeInt(SentenceFeatures.DIMENSIONS);
                for (double w : model.sentenceWeights()) {
                    out.writeDouble(w);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Hex SHA-256 over what decides the model's predictions: labels, settings, body. */
    static String modelDigest(LinearClassifier model) {
        MessageDigest digest = LinearClassifier.sha256();
        LinearClassifier.Sentence sentence = model.sentence();
        digest.update((String.join("\n", model.labels()) + "\n" + model.settings().wordsDescription() + "\n"
                + HashedFeatures.HASH + "\n" + (sentence == null ? "" : "sentence " + MiniLm.ID + " " + SentenceFeatures.VIEW
                        + " windows=" + sentence.windows() + " weight=" + sentence.weight() + "\n"))
                .getBytes(StandardCharsets.UTF_8));
        digest.update(body(model));
        return HexFormat.of().formatHex(digest.digest());
    }

    static LinearClassifier read(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException("model file " + file + " does not exist; train one with"
                    + " LinearClassifier.train and save it to " + file);
        } catch (IOException e) {
            throw new ConfigurationException("model file " + file + " cannot be read: " + e, e);
        }
        if (content.length < MAGIC.length || !Arrays.equals(content, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ConfigurationException(file + " is not a doc-classify model: it starts with "
                    + printable(content) + ", not DCLM; pass a model file written by LinearClassifier.save");
        }
        if (content.length < MAGIC.length + 4) {
            throw damaged(file, "it ends after " + content.length + " bytes");
        }
        int format = java.nio.ByteBuffer.wrap(content, MAGIC.length, 4).getInt();
        if (format > FORMAT) {
            throw new ConfigurationException(file + " was written by a newer doc-classify (model format " + format
                    + ", this one reads up to " + FORMAT + "); upgrade doc-classify or retrain the model with this one");
        }
        if (format < 1) {
            throw damaged(file, "its format version is " + format);
        }
        int end = content.length - DIGEST_BYTES;
        if (end < MAGIC.length + 8
                || !Arrays.equals(LinearClassifier.sha256().digest(Arrays.copyOf(content, end)),
                        Arrays.copyOfRange(content, end, content.length))) {
            throw damaged(file, "its SHA-256 does not match its content, so it was cut short or changed after it was"
                    + " written");
        }
        try {
            return parse(content, end, format);
        } catch (UnsupportedFeatures e) {
            throw new ConfigurationException("model file " + file + " " + e.getMessage()
                    + "; retrain it with this version of doc-classify");
        } catch (IOException | RuntimeException e) {
            throw damaged(file, "its content does not parse (" + e.getMessage() + ")");
        }
    }

    /** A model whose sentence features this version cannot compute. */
    private static final class UnsupportedFeatures extends IOException {
        private static final long serialVersionUID = 1L;

        UnsupportedFeatures(String message) {
            super(message);
        }
    }

    private static LinearClassifier parse(byte[] content, int end, int format) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(content, 0, end));
        in.skipNBytes(MAGIC.length + 4);
        byte[] headerBytes = new byte[in.readInt()];
        in.readFully(headerBytes);
        JsonNode header = JSON.readTree(headerBytes);
        if (!"linear".equals(header.path("kind").asText())) {
            throw new IOException("kind '" + header.path("kind").asText() + "' is not 'linear'");
        }
        List<String> labels = new ArrayList<>();
        header.path("labels").forEach(label -> labels.add(label.asText()));
        JsonNode features = header.path("features");
        if (!HashedFeatures.HASH.equals(features.path("hash").asText())) {
            throw new IOException("feature hash '" + features.path("hash").asText() + "' is unknown");
        }
        LinearClassifier.Sentence sentence = format == WORDS_FORMAT ? null : sentence(features);
        LinearClassifier.Settings settings = new LinearClassifier.Settings(features.path("buckets").asInt(),
                features.path("bigrams").asBoolean(), features.path("signed").asBoolean(),
                header.path("solver").path("c").asDouble(), sentence == null ? LinearClassifier.Features.WORDS
                        : LinearClassifier.Features.WORDS_AND_EMBEDDING);
        LinearClassifier.Provenance provenance = provenance(header.path("training"), header);

        int labelCount = in.readInt();
        int buckets = in.readInt();
        int documents = in.readInt();
        int rows = in.readInt();
        if (labelCount != labels.size() || buckets != settings.buckets() || documents != provenance.documents()
                || rows < 0 || rows > buckets) {
            throw new IOException("the body does not match the header");
        }
        double[] bias = new double[labelCount];
        for (int l = 0; l < labelCount; l++) {
            bias[l] = in.readDouble();
        }
        int[] df = new int[buckets];
        double[] weights = new double[buckets * labelCount];
        for (int r = 0; r < rows; r++) {
            int bucket = in.readInt();
            df[bucket] = in.readInt();
            for (int l = 0; l < labelCount; l++) {
                weights[bucket * labelCount + l] = in.readDouble();
            }
        }
        double[] sentenceWeights = new double[0];
        if (sentence != null) {
            if (in.readInt() != SentenceFeatures.DIMENSIONS) {
                throw new IOException("the sentence weights do not match the header");
            }
            sentenceWeights = new double[SentenceFeatures.DIMENSIONS * labelCount];
            for (int i = 0; i < sentenceWeights.length; i++) {
                sentenceWeights[i] = in.readDouble();
            }
        }
        if (in.available() != 0) {
            throw new IOException(in.available() + " bytes follow the weights");
        }
        return new LinearClassifier(labels, settings, provenance, df, weights, bias, sentence, sentenceWeights);
    }

    /** The sentence features a format-2 header records, if this version computes them the same way. */
    private static LinearClassifier.Sentence sentence(JsonNode features) throws IOException {
        String set = features.path("set").asText();
        JsonNode sentence = features.path("sentence");
        if (!LinearClassifier.Features.WORDS_AND_EMBEDDING.label().equals(set) || !sentence.isObject()) {
            throw new IOException("features '" + set + "' without sentence settings");
        }
        String model = sentence.path("model").asText();
        String view = sentence.path("view").asText();
        if (!MiniLm.ID.equals(model) || !SentenceFeatures.VIEW.equals(view)
                || sentence.path("dimensions").asInt() != SentenceFeatures.DIMENSIONS) {
            throw new UnsupportedFeatures("reads sentence features of '" + model + "' (" + view + ", "
                    + sentence.path("dimensions").asInt() + " dimensions), which this version does not compute (it has "
                    + MiniLm.ID + ", " + SentenceFeatures.VIEW + ")");
        }
        return new LinearClassifier.Sentence(sentence.path("windows").asInt(), sentence.path("weight").asDouble());
    }

    private static LinearClassifier.Provenance provenance(JsonNode training, JsonNode header)
            throws IOException {
        Map<String, Integer> perLabel = new LinkedHashMap<>();
        training.path("examplesPerLabel").properties().forEach(e -> perLabel.put(e.getKey(), e.getValue().asInt()));
        Instant createdAt;
        try {
            createdAt = Instant.parse(header.path("createdAt").asText());
        } catch (DateTimeParseException e) {
            throw new IOException("createdAt '" + header.path("createdAt").asText() + "' is not a time", e);
        }
        return new LinearClassifier.Provenance(perLabel, training.path("sha256").asText(),
                header.path("docClassifyVersion").asText(), createdAt);
    }

    private static ConfigurationException damaged(Path file, String why) {
        return new ConfigurationException("model file " + file + " is damaged: " + why
                + "; copy it again or retrain it (LinearClassifier.train)");
    }

    /** The first bytes of a file, for a message: printable ASCII as is, the rest as dots. */
    private static String printable(byte[] content) {
        if (content.length == 0) {
            return "nothing (the file is empty)";
        }
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < Math.min(8, content.length); i++) {
            int b = content[i] & 0xFF;
            sb.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
        }
        return sb.append('\'').toString();
    }
}
