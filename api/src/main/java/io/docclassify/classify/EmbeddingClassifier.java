package io.docclassify.classify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.docclassify.ConfigurationException;
import io.docclassify.ExtractionLimits;
import io.docclassify.Outcome;
import io.docclassify.extract.TikaExtractor;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Classifies with the all-MiniLM-L6-v2 sentence embedding model, in-process and with no network,
 * combined with the taxonomy's keyword evidence; zero-shot, or few-shot from example documents. The
 * built-in document types without examples are decided by the {@linkplain DocumentTypeModel
 * document-type model} over keywords and layout cues alone, and need the model only for {@code vectors}.
 *
 * <p>Zero-shot, each label is represented by its description and, for the built-in document types,
 * built-in exemplar texts (the opening lines such a document typically has). Few-shot, the label's
 * example documents ({@link LabelDefinition#examples()}, or texts given to the constructor) move its
 * representation towards them, and documents are then read further (three windows of text instead of
 * one, so classifying takes about three times as long). The scores are a softmax over the taxonomy's labels and sum to 1
 * (each rounded to 4 decimals, the rounding remainder on the top label). When the top label's score
 * is below {@link Taxonomy#minConfidence()} the label is the taxonomy's fallback ({@code other}), with
 * confidence 1 minus the top score, as {@link RulesClassifier} does; {@link Taxonomy#minScore()} is
 * not used.
 *
 * <p>Thread-safe and deterministic: the model is loaded once per JVM and runs each call on the
 * calling thread with one ONNX Runtime thread, so run one call per core. {@link #id()} names the
 * model and a digest of everything the label representations were built from.
 */
/*
 * Design. The model reads at most 128 tokens (about 500 characters of English), so what it reads is
 * the title and the start of the text with runs of white space collapsed: the top of a document tells
 * its type best. The rest of the text counts through the keyword evidence of RulesClassifier.
 *
 * Per label l: sim_l = cos(doc, prototype_l) - bias_l, where bias_l is the prototype's mean cosine to
 * the texts that define the other labels: a prototype close to everything would otherwise win for
 * every document.
 *
 * With the built-in taxonomy the model reads a shorter opening (OPENING_TOKENS tokens of the title
 * and OPENING_CHARS characters: the model is most of the classifier's cost), and a fitted
 * DocumentTypeModel weighs the similarities with the keyword evidence, the structural cues of
 * DocumentShape, the media type and document statistics, with `other` as a class of its own. Zero-shot
 * that model has no similarity features (they added nothing on sources left out of its fit), so the
 * sentence model is loaded only when the caller wants each document's vector. Other
 * taxonomies combine EMBEDDING_SCALE * sim_l + RULES_WEIGHT * log(1 + keywords_l) in a softmax
 * (Settings.DEFAULT, fitted for calibrated probabilities).
 *
 * The built-in document types with examples (corrections a person made) read the opening and start
 * from the model fitted with the similarities: the examples move the prototypes, and the model is
 * refitted to them (adapted). Other few-shot taxonomies: a document is read in WINDOWS windows, embedded one by one
 * and mean-pooled (topic is spread through a text, type shows at its top); a label's prototype is
 * the normalised sum of its examples' embeddings and its zero-shot prototype weighted as
 * ZERO_SHOT_SHARE of the label's example count; no bias correction. docs/embedding-classifier.md
 * has the measurements behind each of these choices.
 */
public final class EmbeddingClassifier implements Classifier {

    /** Characters of the text (after the title) given to the model; the tokenizer keeps 128 tokens of them. */
    static final int MODEL_CHARS = 1_000;
    /** Zero-shot with the built-in taxonomy: the tokens of the opening the model reads, and the characters cut for them. */
    static final int OPENING_TOKENS = 48;
    static final int OPENING_CHARS = 400;
    /** Few-shot: windows of the text read per document and their spacing in characters. */
    static final int WINDOWS = 3;
    static final int WINDOW_STEP = 500;
    /** Few-shot: the weight of a label's zero-shot prototype, per example of the label (at least 1). */
    static final double ZERO_SHOT_SHARE = 0.75;

    /** The built-in document types with examples: how strongly the refitted model is held to the shipped one, and the fit's steps. */
    static final double ADAPTATION_PENALTY = 0.05;
    static final int ADAPTATION_STEPS = 200;

    /** How the evidence is weighted; package-private so the tuning report can try others. */
    record Settings(double embeddingScale, double rulesWeight) {
        /** Fitted with the 128-token view. */
        static final Settings DEFAULT = new Settings(22.5, 3.4);
        /** Fitted with the opening view of the built-in taxonomy (OPENING_TOKENS). */
        static final Settings OPENING = new Settings(17.6, 3.52);
    }

    private static final String EXEMPLARS = "exemplars.yaml";

    private final Taxonomy taxonomy;
    private final Settings settings;
    /** The sentence model, or {@code null} when nothing asks for embeddings. */
    private final MiniLm model;
    private final int viewChars;
    private final RulesClassifier rules;
    private final float[][] prototypes;
    private final double[] bias;
    private final boolean fewShot;
    /** Few-shot with a taxonomy of its own: documents are read in several windows. */
    private final boolean windowed;
    private final DocumentTypeModel typeModel;
    private final List<String> labelNames;
    private final String id;

    /**
     * A classifier for {@code taxonomy}, few-shot for the labels that list {@linkplain
     * LabelDefinition#examples() examples} (extracted here as {@code classify} would see them).
     *
     * @throws ConfigurationException when an example file is missing or unreadable; the message names it
     */
    public EmbeddingClassifier(Taxonomy taxonomy) {
        this(taxonomy, false);
    }

    /**
     * A classifier for {@code taxonomy} that, with {@code vectors}, gives every result the document's
     * embedding ({@link Outcome.Classified#embedding()}) even where the label does not need it: the
     * built-in document types without examples, which otherwise load no sentence model.
     *
     * @throws ConfigurationException when an example file is missing or unreadable; the message names it
     */
    public EmbeddingClassifier(Taxonomy taxonomy, boolean vectors) {
        this(taxonomy, Map.of(), null, null, null, 0, vectors);
    }

    /**
     * A classifier for {@code taxonomy} that also learns from {@code exampleTexts}: label name to texts
     * of documents of that type (such as the rows of a labels CSV, extracted).
     *
     * @throws ConfigurationException when a label of {@code exampleTexts} is not in the taxonomy, or an
     *     example file of the taxonomy is missing or unreadable
     */
    public EmbeddingClassifier(Taxonomy taxonomy, Map<String, List<String>> exampleTexts) {
        this(taxonomy, exampleTexts, null);
    }

    /** With {@code settings}, or {@code null} for those fitted for the view this classifier uses. */
    EmbeddingClassifier(Taxonomy taxonomy, Map<String, List<String>> exampleTexts, Settings settings) {
        this(taxonomy, extracted(exampleTexts), settings, null);
    }

    private static Map<String, List<ExtractedText>> extracted(Map<String, List<String>> texts) {
        Map<String, List<ExtractedText>> extracted = new LinkedHashMap<>();
        texts.forEach((label, list) -> extracted.put(label, list.stream().map(ExtractedText::ofText).toList()));
        return extracted;
    }

    /**
     * With {@code typeModel} instead of the built-in document-type model ({@code null}: the built-in one),
     * for measurements with a model fitted on part of the data.
     */
    EmbeddingClassifier(Taxonomy taxonomy, Map<String, List<ExtractedText>> exampleTexts, Settings settings,
            DocumentTypeModel typeModel) {
        this(taxonomy, exampleTexts, settings, typeModel, null, 0, false);
    }

    /** The built-in document types with the similarities computed for {@link #evidence}, for fitting the models. */
    static EmbeddingClassifier withSimilarities() {
        return new EmbeddingClassifier(Taxonomy.builtIn(), Map.of(), null, null, null, 0, true);
    }

    /**
     * The built-in document types with {@code encoder} reading {@code viewChars} characters of each
     * document's opening, for measuring other encoders: only {@link #evidence} means anything, since the
     * built-in document-type model was fitted on the default encoder's similarities.
     */
    EmbeddingClassifier(MiniLm encoder, int viewChars) {
        this(Taxonomy.builtIn(), Map.of(), null, null, Objects.requireNonNull(encoder, "encoder"), viewChars, true);
    }

    private EmbeddingClassifier(Taxonomy taxonomy, Map<String, List<ExtractedText>> exampleTexts, Settings settings,
            DocumentTypeModel typeModel, MiniLm encoder, int viewChars, boolean vectors) {
        this.taxonomy = Objects.requireNonNull(taxonomy, "taxonomy");
        for (String label : exampleTexts.keySet()) {
            if (taxonomy.labels().stream().noneMatch(l -> l.name().equals(label))) {
                throw new ConfigurationException("examples are given for label '" + label
                        + "', which the taxonomy does not define; its labels are " + taxonomy.labelNames());
            }
        }
        this.rules = new RulesClassifier(taxonomy);
        int n = taxonomy.labels().size();
        fewShot = taxonomy.labels().stream().anyMatch(l -> !l.examples().isEmpty())
                || exampleTexts.values().stream().anyMatch(list -> !list.isEmpty());
        boolean opening = withoutExamples(taxonomy).equals(Taxonomy.builtIn());
        windowed = fewShot && !opening;
        DocumentTypeModel baseModel = !opening || settings != null ? null : typeModel != null ? typeModel
                : fewShot ? DocumentTypeModel.builtInWithSimilarities() : DocumentTypeModel.builtIn();
        boolean similaritiesDecide = baseModel == null || baseModel.weighsSimilarities();
        model = encoder != null ? encoder : !similaritiesDecide && !vectors ? null
                : opening ? MiniLm.get(OPENING_TOKENS) : MiniLm.get();
        this.viewChars = encoder != null ? viewChars : opening ? OPENING_CHARS : MODEL_CHARS;
        this.settings = settings != null ? settings : opening ? Settings.OPENING : Settings.DEFAULT;
        labelNames = taxonomy.labels().stream().map(LabelDefinition::name).toList();
        List<List<ExtractedText>> examples = new ArrayList<>(n);
        TikaExtractor extractor = null;
        for (LabelDefinition label : taxonomy.labels()) {
            List<ExtractedText> labelExamples = new ArrayList<>();
            for (String file : label.examples()) {
                if (extractor == null) {
                    extractor = new TikaExtractor(ExtractionLimits.defaults());
                }
                labelExamples.add(extract(extractor, label.name(), Path.of(file)));
            }
            labelExamples.addAll(exampleTexts.getOrDefault(label.name(), List.of()));
            examples.add(labelExamples);
        }
        prototypes = new float[n][];
        bias = new double[n];
        List<List<String>> zeroShotTexts = model == null ? List.of() : zeroShotTexts(taxonomy);
        if (model != null) {
            labelRepresentations(zeroShotTexts, examples);
        }
        this.typeModel = baseModel != null && fewShot ? adapted(baseModel, examples) : baseModel;
        // the id names what decides the label: the same with and without vectors
        id = "embedding@" + (similaritiesDecide ? model.id() : "document-types") + "/"
                + digest(similaritiesDecide ? zeroShotTexts : List.of(), examples.stream()
                .map(list -> list.stream().map(t -> String.join("\n", views(t))).toList()).toList(), similaritiesDecide);
    }

    /** What represents each label before any example: its description and the built-in exemplar texts, or its name. */
    private static List<List<String>> zeroShotTexts(Taxonomy taxonomy) {
        Map<String, List<String>> exemplars = builtInExemplars();
        List<List<String>> zeroShotTexts = new ArrayList<>();
        for (LabelDefinition label : taxonomy.labels()) {
            List<String> texts = new ArrayList<>();
            if (!label.description().isBlank()) {
                texts.add(label.description());
            }
            texts.addAll(exemplars.getOrDefault(label.name(), List.of()));
            if (texts.isEmpty()) {
                texts.add(label.name().replace('_', ' '));
            }
            zeroShotTexts.add(texts);
        }
        return zeroShotTexts;
    }

    /** Each label's prototype and bias, from its zero-shot texts and its examples. */
    private void labelRepresentations(List<List<String>> zeroShotTexts, List<List<ExtractedText>> examples) {
        int n = prototypes.length;
        List<List<float[]>> labelVectors = new ArrayList<>(n);
        for (int l = 0; l < n; l++) {
            List<float[]> vectors = zeroShotTexts.get(l).stream().map(model::vector).toList();
            List<float[]> exampleVectors = examples.get(l).stream().map(this::vector).toList();
            float[] sum = scale(unit(sum(vectors)), Math.max(1, ZERO_SHOT_SHARE * exampleVectors.size()));
            for (float[] v : exampleVectors) {
                add(sum, v);
            }
            prototypes[l] = unit(sum);
            List<float[]> all = new ArrayList<>(vectors);
            all.addAll(exampleVectors);
            labelVectors.add(all);
        }
        for (int l = 0; l < n; l++) {
            double total = 0;
            int count = 0;
            for (int o = 0; o < n; o++) {
                if (o != l) {
                    for (float[] v : labelVectors.get(o)) {
                        total += dot(prototypes[l], v);
                        count++;
                    }
                }
            }
            bias[l] = count == 0 || windowed ? 0 : total / count;
        }
    }

    /**
     * The document-type model refitted to the examples (corrections a person made), with a penalty that
     * keeps it near the model it starts from: each label with examples counts the same.
     */
    private DocumentTypeModel adapted(DocumentTypeModel base, List<List<ExtractedText>> examples) {
        List<DocumentTypeModel.Evidence> evidence = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (int l = 0; l < examples.size(); l++) {
            for (ExtractedText example : examples.get(l)) {
                evidence.add(evidence(example));
                classes.add(l);
                weights.add(1.0 / examples.get(l).size());
            }
        }
        double penalty = ADAPTATION_PENALTY;
        return DocumentTypeModel.fit(base.classes(), evidence, classes.stream().mapToInt(Integer::intValue).toArray(),
                weights.stream().mapToDouble(Double::doubleValue).toArray(), base,
                new DocumentTypeModel.Penalties(penalty, penalty, penalty), ADAPTATION_STEPS);
    }

    @Override
    public String id() {
        return id;
    }

    /** The weights this classifier combines its evidence with. */
    Settings settings() {
        return settings;
    }

    /** The taxonomy this classifier labels with. */
    public Taxonomy taxonomy() {
        return taxonomy;
    }

    @Override
    public Outcome.Classified classify(ExtractedText text) {
        float[] vector = model == null ? null : vector(text);
        if (typeModel != null) {
            double[] p = typeModel.probabilities(evidence(text, vector));
            return scored(p, typeModel.classes()).withEmbedding(vector);
        }
        return decide(similarities(vector), rules.rawScores(text), settings).withEmbedding(vector);
    }

    /** The evidence the built-in document-type model weighs. */
    DocumentTypeModel.Evidence evidence(ExtractedText text) {
        return evidence(text, model == null ? null : vector(text));
    }

    private DocumentTypeModel.Evidence evidence(ExtractedText text, float[] vector) {
        boolean[] mediaType = new boolean[labelNames.size()];
        for (int l = 0; l < mediaType.length; l++) {
            mediaType[l] = taxonomy.labels().get(l).mediaTypes().contains(text.mediaType());
        }
        String head = DocumentShape.head(text.text());
        double[] sims = vector == null ? new double[labelNames.size()] : similarities(vector);
        return DocumentTypeModel.evidence(sims, rules.rawScores(text),
                DocumentShape.cues(text, head, labelNames), DocumentShape.unlikeAnyType(text, head), mediaType, text);
    }

    /** Each label's bias-corrected cosine similarity to the text, in taxonomy order. */
    double[] similarities(ExtractedText text) {
        return similarities(vector(text));
    }

    private double[] similarities(float[] vector) {
        double[] sims = new double[prototypes.length];
        for (int l = 0; l < sims.length; l++) {
            sims[l] = dot(prototypes[l], vector) - bias[l];
        }
        return sims;
    }

    /** Each label's raw keyword evidence, in taxonomy order. */
    double[] ruleScores(ExtractedText text) {
        return rules.rawScores(text);
    }

    /** Turns the evidence into scores and a label. */
    Outcome.Classified decide(double[] sims, double[] raw, Settings weights) {
        double[] logits = new double[sims.length];
        for (int l = 0; l < logits.length; l++) {
            logits[l] = weights.embeddingScale() * sims[l] + weights.rulesWeight() * Math.log1p(raw[l]);
        }
        return scored(DocumentTypeModel.softmax(logits), labelNames);
    }

    /**
     * The outcome for probabilities {@code p} of the classes {@code names}: scores rounded to 4
     * decimals (the remainder on the top class); below the taxonomy's minConfidence its fallback.
     */
    private Outcome.Classified scored(double[] p, List<String> names) {
        int n = p.length;
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -p[i]).thenComparingInt(i -> i));
        double[] rounded = new double[n];
        double roundedSum = 0;
        for (int l = 0; l < n; l++) {
            rounded[l] = Math.round(p[l] * 10_000) / 10_000.0;
            roundedSum += rounded[l];
        }
        int top = order[0];
        rounded[top] = Math.round((rounded[top] + 1 - roundedSum) * 10_000) / 10_000.0;
        Map<String, Double> scores = new LinkedHashMap<>();
        for (int i : order) {
            scores.put(names.get(i), rounded[i]);
        }
        if (rounded[top] < taxonomy.minConfidence()) {
            return new Outcome.Classified(taxonomy.other(), Math.round((1 - rounded[top]) * 10_000) / 10_000.0, scores);
        }
        return new Outcome.Classified(names.get(top), rounded[top], scores);
    }

    /** The document's embedding: of its view, or few-shot the mean of its windows' (unit length). */
    private float[] vector(ExtractedText text) {
        if (!windowed) {
            return model.vector(view(text, viewChars));
        }
        List<String> views = views(text);
        if (views.size() == 1) {
            return model.vector(views.get(0));
        }
        return unit(sum(views.stream().map(model::vector).toList()));
    }

    /**
     * What the model reads of a document: zero-shot its {@linkplain #view view}; few-shot also the
     * next windows of the collapsed text (each up to MODEL_CHARS, starting every WINDOW_STEP), as far
     * as the text goes.
     */
    List<String> views(ExtractedText text) {
        String first = view(text, viewChars);
        if (!windowed) {
            return List.of(first);
        }
        List<String> views = new ArrayList<>(WINDOWS);
        views.add(first);
        String body = CollapsedText.of(text.text(), WINDOW_STEP * (WINDOWS - 1) + MODEL_CHARS);
        for (int k = 1; k < WINDOWS && k * WINDOW_STEP < body.length(); k++) {
            int from = k * WINDOW_STEP;
            views.add(body.substring(from, Math.min(body.length(), from + MODEL_CHARS)));
        }
        return views;
    }

    /** What the model reads: the title, then the start of the text, white space collapsed. */
    static String view(ExtractedText text) {
        return view(text, MODEL_CHARS);
    }

    /** The same, with {@code chars} characters of the text after the title. */
    static String view(ExtractedText text, int chars) {
        StringBuilder sb = new StringBuilder(chars + 100);
        String title = text.title() == null ? "" : text.title().trim();
        if (!title.isBlank() && title.length() < 200) {
            sb.append(title).append('\n');
        }
        CollapsedText.append(sb, text.text(), sb.length() + chars);
        return sb.isEmpty() ? "empty document" : sb.toString();
    }

    /** The taxonomy with no examples on any label. */
    private static Taxonomy withoutExamples(Taxonomy taxonomy) {
        return new Taxonomy(taxonomy.labels().stream().map(l -> l.withExamples(List.of())).toList(),
                taxonomy.other(), taxonomy.minConfidence(), taxonomy.minScore());
    }

    private static ExtractedText extract(TikaExtractor extractor, String label, Path file) {
        try {
            return extractor.extract(file, ExtractionProgress.NONE);
        } catch (ExtractionException e) {
            throw new ConfigurationException("label '" + label + "': example file " + file
                    + " cannot be read (" + e.getMessage() + "); fix or remove it", e);
        }
    }

    static Map<String, List<String>> builtInExemplars() {
        return BuiltInResources.read(new YAMLMapper(), EXEMPLARS, new TypeReference<LinkedHashMap<String, List<String>>>() {},
                "built-in exemplars");
    }

    private String digest(List<List<String>> zeroShotTexts, List<List<String>> examples, boolean similaritiesDecide) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String all = settings + (typeModel == null ? "" : ", model " + typeModel.describe())
                    + (similaritiesDecide ? ", view " + model.maxTokens() + " tokens of " + viewChars + " characters" : "") + "\n"
                    + taxonomy.labels().stream().map(l -> l.name() + l.keywords() + l.mediaTypes()).toList() + "\n"
                    + taxonomy.other() + taxonomy.minConfidence() + "\n" + zeroShotTexts + "\n" + examples
                    + (windowed ? "\nwindows " + WINDOWS + "/" + WINDOW_STEP + ", zero-shot share " + ZERO_SHOT_SHARE : "");
            return HexFormat.of().formatHex(sha.digest(all.getBytes(StandardCharsets.UTF_8)), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static float[] scale(float[] v, double factor) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] * factor);
        }
        return v;
    }

    private static float[] sum(List<float[]> vectors) {
        float[] sum = new float[vectors.get(0).length];
        vectors.forEach(v -> add(sum, v));
        return sum;
    }

    private static void add(float[] sum, float[] v) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += v[i];
        }
    }

    private static float[] unit(float[] v) {
        double norm = Math.sqrt(dot(v, v));
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = (float) (v[i] / norm);
        }
        return u;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
