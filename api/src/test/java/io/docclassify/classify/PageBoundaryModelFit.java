package io.docclassify.classify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docclassify.ExtractionLimits;
import io.docclassify.Outcome;
import io.docclassify.Segment;
import io.docclassify.extract.PageTextReader;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Fits the built-in {@link BoundaryModel} on streams built from the {@linkplain PageStreams#TUNING tuning sources}
 * and writes its weights to {@code api/src/main/resources/.../page-boundary-model.json}, then measures boundary F1
 * and the straight-through rate on streams from the {@linkplain PageStreams#HELD_OUT held-out sources}, born-digital
 * and scanned (OCR). Not part of the build (surefire runs {@code *Test}). Run (docs/splitting.md):
 * {@code mvn -o test -pl api -am -Dtest=PageBoundaryModelFit -Dsurefire.failIfNoSpecifiedTests=false}
 *
 * <p>Streams and their page texts are cached under {@code api/target/page-streams/}; delete it to rebuild.
 */
class PageBoundaryModelFit {

    static final Path FOLDER = Path.of("target/page-streams");
    static final int TUNING_STREAMS = Integer.getInteger("fit.tuning", 200);
    static final int HELD_OUT_STREAMS = Integer.getInteger("fit.heldOut", 100);
    static final int HELD_OUT_SCANS = Integer.getInteger("fit.heldOutScans", 30);

    @Test
    void fitAndWrite() throws IOException {
        List<Streamed> tuning = streams("tuning-born-digital", PageStreams.TUNING, TUNING_STREAMS, 18, false);
        List<double[]> samples = new ArrayList<>();
        List<Boolean> starts = new ArrayList<>();
        for (Streamed s : tuning) {
            Set<Integer> truth = truthStarts(s.stream());
            PageBoundaries.Page first = s.evidence().getFirst();
            PageBoundaries.Page previous = first;
            for (int i = 1; i < s.pages().size(); i++) {
                PageBoundaries.Page page = s.evidence().get(i);
                samples.add(PageBoundaries.features(previous, page, first));
                boolean start = truth.contains(i + 1);
                starts.add(start);
                if (start) {
                    first = page;
                }
                previous = page;
            }
        }
        boolean[] y = new boolean[starts.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = starts.get(i);
        }
        BoundaryModel fitted = BoundaryModel.fit(samples, y, 0.001, 3000, 0.5);
        double bestF1 = -1;
        BoundaryModel best = fitted;
        for (double threshold = 0.2; threshold <= 0.81; threshold += 0.05) {
            BoundaryModel candidate = fitted.withThreshold(threshold);
            double f1 = score(new Segmenter(candidate), tuning, null).f1();
            if (f1 > bestF1 + 1e-9) {
                bestF1 = f1;
                best = candidate;
            }
        }
        System.out.printf("fitted on %d boundaries of %d tuning streams; threshold %.2f, tuning F1 %.4f%n", y.length,
                tuning.size(), best.threshold(), bestF1);
        System.out.println("weights " + best.features() + " " + java.util.Arrays.toString(best.weights()) + " bias "
                + best.bias() + "; text only " + java.util.Arrays.toString(best.textWeights()) + " bias " + best.textBias());
        Path out = Path.of("src/main/resources/io/docclassify/classify", BoundaryModel.RESOURCE);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), best);
        System.out.println("wrote " + out.toAbsolutePath());

        Classifier classifier = new ClassifierSpec.Embedding(null).create(System.getenv());
        Segmenter segmenter = new Segmenter(best);
        System.out.println("held-out born-digital: "
                + score(segmenter, streams("held-out-born-digital", PageStreams.HELD_OUT, HELD_OUT_STREAMS, 1018, false), classifier));
        System.out.println("held-out scanned (OCR): "
                + score(segmenter, streams("held-out-scanned", PageStreams.HELD_OUT, HELD_OUT_SCANS, 2018, true), classifier));
    }

    /** A built stream with its bounded page texts. */
    record Streamed(PageStreams.Stream stream, List<PageTextReader.Page> pages, List<PageBoundaries.Page> evidence) {
        Streamed(PageStreams.Stream stream, List<PageTextReader.Page> pages) {
            this(stream, pages, pages.stream().map(Segmenter::page).toList());
        }
    }

    /** Boundary counts (pages after the first that start a document) and streams right end to end. */
    record Score(int streams, int truePositives, int falsePositives, int falseNegatives, int boundariesRight,
            int straightThrough) {
        double precision() {
            return truePositives / (double) Math.max(1, truePositives + falsePositives);
        }

        double recall() {
            return truePositives / (double) Math.max(1, truePositives + falseNegatives);
        }

        double f1() {
            return 2 * precision() * recall() / Math.max(1e-9, precision() + recall());
        }

        @Override
        public String toString() {
            return String.format("%d streams, %d boundaries: precision %.4f, recall %.4f, F1 %.4f; every boundary right"
                    + " %.4f; straight-through (boundaries and labels) %.4f", streams, truePositives + falseNegatives,
                    precision(), recall(), f1(), boundariesRight / (double) streams, straightThrough / (double) streams);
        }
    }

    /** Scores {@code segmenter} on {@code streams}; labels too when {@code classifier} is not null. */
    static Score score(Segmenter segmenter, List<Streamed> streams, Classifier classifier) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int boundariesRight = 0;
        int straight = 0;
        for (Streamed s : streams) {
            Set<Integer> truth = truthStarts(s.stream());
            Set<Integer> found = new HashSet<>(segmenter.startsOf(s.evidence()));
            for (int page : found) {
                if (page > 1) {
                    if (truth.contains(page)) {
                        tp++;
                    } else {
                        fp++;
                        explain("false start", s, page);
                    }
                }
            }
            for (int page : truth) {
                if (page > 1 && !found.contains(page)) {
                    fn++;
                    explain("missed start", s, page);
                }
            }
            if (!found.equals(truth)) {
                continue;
            }
            boundariesRight++;
            if (classifier != null && labelsRight(segmenter, s, classifier)) {
                straight++;
            }
        }
        return new Score(streams.size(), tp, fp, fn, boundariesRight, straight);
    }

    /** With -Dfit.explain=true, prints an error with the part it is in and the page's evidence. */
    private static void explain(String what, Streamed s, int page) {
        if (!Boolean.getBoolean("fit.explain")) {
            return;
        }
        PageStreams.Part part = s.stream().parts().stream().filter(p -> p.first() <= page && page <= p.last())
                .findFirst().orElseThrow();
        PageBoundaries.Page at = s.evidence().get(page - 1);
        double[] f = PageBoundaries.features(s.evidence().get(page - 2), at, s.evidence().get(part.first() - 1));
        System.out.printf("%s %s p%d (%s p%d-%d) fonts %s / %s %s%n   %s%n", what, s.stream().file().getFileName(), page,
                part.source(), part.first(), part.last(), s.pages().get(page - 2).fonts(), at.fonts(),
                java.util.Arrays.toString(java.util.Arrays.stream(f).map(x -> Math.round(x * 100) / 100.0).toArray()),
                at.text().substring(0, Math.min(120, at.text().length())).replace('\n', '|'));
    }

    private static boolean labelsRight(Segmenter segmenter, Streamed s, Classifier classifier) {
        String all = String.join("\n\n", s.pages().stream().map(PageTextReader.Page::text).toList());
        ExtractedText whole = new ExtractedText(all, null, "application/pdf", s.pages().size(), all.length(), true, 0);
        Outcome.Classified plain = classifier.classify(whole);
        List<Segment> segments = segmenter.segments(s.pages(), s.pages().size(), whole, plain, classifier,
                ExtractionLimits.DEFAULT_TEXT_BUDGET);
        for (int i = 0; i < segments.size(); i++) {
            if (!segments.get(i).label().equals(s.stream().parts().get(i).label())) {
                return false;
            }
        }
        return true;
    }

    static Set<Integer> truthStarts(PageStreams.Stream stream) {
        Set<Integer> starts = new HashSet<>();
        stream.parts().forEach(part -> starts.add(part.first()));
        return starts;
    }

    /** Builds (or reuses) the streams of {@code name} and reads their pages, OCR included for scans. */
    static List<Streamed> streams(String name, Set<String> sources, int count, long seed, boolean scanned)
            throws IOException {
        Path folder = FOLDER.resolve(name + "-" + count + "-" + seed);
        List<PageStreams.Stream> streams = PageStreams.build(sources, count, seed, scanned, folder);
        Path cache = folder.resolve("pages.json");
        ObjectMapper json = new ObjectMapper();
        Map<String, List<PageTextReader.Page>> pages = Files.exists(cache)
                ? json.readValue(cache.toFile(), new TypeReference<LinkedHashMap<String, List<PageTextReader.Page>>>() {})
                : new LinkedHashMap<>();
        if (pages.size() != streams.size()) {
            PageTextReader reader = PageTextReader.of(ExtractionLimits.defaults().withOcr(scanned)
                    .withTimeouts(java.time.Duration.ofMinutes(30), java.time.Duration.ofMinutes(30)));
            Map<String, List<PageTextReader.Page>> read = new java.util.concurrent.ConcurrentHashMap<>();
            streams.parallelStream().forEach(stream -> {
                try {
                    read.put(stream.file().getFileName().toString(), reader.read(stream.file()).pages());
                } catch (ExtractionException e) {
                    throw new IllegalStateException("reading " + stream.file() + ": " + e.getMessage(), e);
                }
            });
            pages = new LinkedHashMap<>();
            for (PageStreams.Stream stream : streams) {
                pages.put(stream.file().getFileName().toString(), read.get(stream.file().getFileName().toString()));
            }
            json.writeValue(cache.toFile(), pages);
        }
        List<Streamed> out = new ArrayList<>();
        for (PageStreams.Stream stream : streams) {
            List<PageTextReader.Page> texts = pages.get(stream.file().getFileName().toString());
            if (texts.size() != stream.pages()) {
                throw new UncheckedIOException(new IOException(stream.file() + " has " + texts.size()
                        + " pages read, " + stream.pages() + " built"));
            }
            out.add(new Streamed(stream, texts));
        }
        return out;
    }
}
