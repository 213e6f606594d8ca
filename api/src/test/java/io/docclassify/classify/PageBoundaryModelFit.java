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
 * Fits the built-in {@link BoundaryModel} on streams built from the {@linkplain #TUNING tuning sources} (the PDF
 * sources of {@link PageStreams#TUNING} and the text sources {@link TypesetSources} typesets) and writes its
 * weights to {@code api/src/main/resources/.../page-boundary-model.json}, then measures boundary F1 and the
 * straight-through rate on streams from the {@linkplain PageStreams#HELD_OUT held-out sources}, born-digital
 * and scanned (OCR). Not part of the build (surefire runs {@code *Test}). Run (docs/splitting.md):
 * {@code mvn -o test -pl api -am -Dtest=PageBoundaryModelFit -Dsurefire.failIfNoSpecifiedTests=false}
 *
 * <p>Streams and their page texts are cached under {@code api/target/page-streams/}; delete it to rebuild.
 */
class PageBoundaryModelFit {

    static final Path FOLDER = Path.of("target/page-streams");
    /** Whether the tuning streams also hold the typeset text sources ({@link TypesetSources}). */
    static final boolean TYPESET = Boolean.parseBoolean(System.getProperty("fit.typeset", "true"));
    /** The sources the fit and every design choice see. */
    static final Set<String> TUNING = TYPESET ? union(PageStreams.TUNING, TypesetSources.SOURCES) : PageStreams.TUNING;
    /** The name of the tuning streams' cache folders, which differ with {@link #TYPESET}. */
    static final String TUNING_NAME = TYPESET ? "tuning-wide" : "tuning";
    static final int TUNING_STREAMS = Integer.getInteger("fit.tuning", 200);
    /** Features left out of the fit (-Dfit.drop=name,name: set to 0, so their weights stay 0), for ablations. */
    static final List<Integer> DROPPED = java.util.Arrays.stream(System.getProperty("fit.drop", "").split(","))
            .filter(name -> !name.isBlank()).map(name -> {
                int at = PageBoundaries.FEATURES.indexOf(name.strip());
                if (at < 0) {
                    throw new IllegalArgumentException(
                            "-Dfit.drop: no feature " + name + " in " + PageBoundaries.FEATURES);
                }
                return at;
            }).toList();
    static final int HELD_OUT_STREAMS = Integer.getInteger("fit.heldOut", 100);
    static final int HELD_OUT_SCANS = Integer.getInteger("fit.heldOutScans", 120);
    /** The held-out scanned streams earlier rounds measured on (the same seed builds the same first streams). */
    static final int EARLIER_HELD_OUT_SCANS = 60;
    /** Scanned tuning streams, read by OCR: the text-only weights see OCR output as scans give it. */
    static final int TUNING_SCANS = Integer.getInteger("fit.tuningScans", 60);
    /**
     * The scanned streams {@code #crossSource} scores (the first of the short ones and of those the fit sees), whatever
     * {@link #TUNING_SCANS} is, so that its figures compare across tuning sets.
     */
    static final int CROSS_SCANS = Integer.getInteger("fit.crossScans", 60);
    /** The share of documents in scanned tuning streams cut to 5-16 pages rather than 1-4. */
    static final double SCAN_LONG_SHARE = Double.parseDouble(System.getProperty("fit.scanLongShare", "0.25"));
    /** How many times a boundary of a scanned tuning stream counts in the text-only fit. */
    static final double SCAN_WEIGHT = Double.parseDouble(System.getProperty("fit.scanWeight", "2"));
    /** The share of documents in born-digital tuning streams cut to 5-16 pages rather than 1-4. */
    static final double LONG_SHARE = Double.parseDouble(System.getProperty("fit.longShare", "0.25"));
    /** With -Dfit.wholeFiles=true, also counts the cuts in whole single-document files, their first pages this many. */
    static final int WHOLE_PAGES = 50;
    /** The tuning source whose whole files (single documents) count the cuts a fit makes: the papers. */
    static final String PAPERS = "throughput_pdfs_papers_we_love";
    @Test
    void fitAndWrite() throws IOException {
        TuningSets sets = TuningSets.load();
        Samples born = samples(sets.tuning());
        Samples scans = samples(sets.tuningScans());
        BoundaryModel fitted = BoundaryModel.fit(born.features(), born.starts(), scans.features(), scans.starts(),
                SCAN_WEIGHT, 0.001, 3000, 0.5);
        // The thresholds are for sources the model has not seen, so they are chosen on sources the fit has not seen;
        // in-sample, a change of two samples once moved the choice from 0.45 to 0.60 (docs/splitting.md).
        LeftOut leftOut = leftOut(sets, false);
        BoundaryModel best = fitted.withThreshold(leftOut.bestThreshold(leftOut.bornAt()))
                .withTextThreshold(leftOut.bestThreshold(leftOut.scannedAt()));
        Segmenter segmenter = new Segmenter(best);
        List<Streamed> tuning = sets.tuning();
        List<Streamed> tuningScans = sets.tuningScans();
        System.out.printf("fitted on %d boundaries of %d tuning streams and %d of %d scanned ones; threshold %.2f,"
                + " text threshold %.2f (best for the tuning sources left out in turn), tuning F1 %.4f, tuning scans"
                + " F1 %.4f%n", born.starts().length, tuning.size(), scans.starts().length, tuningScans.size(),
                best.threshold(), best.textThreshold(), score(segmenter, tuning, null).f1(),
                tuningScans.isEmpty() ? Double.NaN : score(segmenter, tuningScans, null).f1());
        System.out.println("weights " + best.features() + " " + java.util.Arrays.toString(best.weights()) + " bias "
                + best.bias() + "; text only " + java.util.Arrays.toString(best.textWeights()) + " bias " + best.textBias());
        Path out = Path.of("src/main/resources/io/docclassify/classify", BoundaryModel.RESOURCE);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), best);
        System.out.println("wrote " + out.toAbsolutePath());

        Classifier classifier = new ClassifierSpec.Embedding(null).create(System.getenv());
        if (Boolean.getBoolean("fit.explainTuning")) {
            score(segmenter, tuning, null, true);
            score(segmenter, tuningScans, null, true);
            System.out.println("(end of the tuning errors)");
        }
        Score heldOut = score(segmenter, streams("held-out-born-digital", PageStreams.HELD_OUT, HELD_OUT_STREAMS, 1018,
                false), classifier, true);
        System.out.println("held-out born-digital: " + heldOut + "\n" + heldOut.bySourceTable());
        if (HELD_OUT_SCANS > 0) {
            List<Streamed> heldOutScans = streams("held-out-scanned", PageStreams.HELD_OUT, HELD_OUT_SCANS, 2018, true);
            Score scanned = score(segmenter, heldOutScans, classifier, true);
            System.out.println("held-out scanned (OCR): " + scanned + "\n" + scanned.bySourceTable());
            if (heldOutScans.size() > EARLIER_HELD_OUT_SCANS) {
                Score earlier = score(segmenter, heldOutScans.subList(0, EARLIER_HELD_OUT_SCANS), classifier, false);
                System.out.println("  of which the first " + EARLIER_HELD_OUT_SCANS + " (as measured before): "
                        + earlier);
            }
        }
        if (Boolean.getBoolean("fit.wholeFiles")) {
            System.out.println("whole files, tuning (in-sample):\n" + wholeFiles(segmenter, Set.of(PAPERS), "papers")
                    + wholeFiles(segmenter, withoutPapers(), "tuning-files"));
            System.out.println("whole files, held out:\n" + wholeFiles(segmenter, PageStreams.HELD_OUT, "held-out"));
        }
    }

    /**
     * How often whole single-document files of {@code sources} are cut: each file's first {@value #WHOLE_PAGES} pages
     * (page texts cached like the streams'), as {@code --split} would see a file of one document.
     */
    static String wholeFiles(Segmenter segmenter, Set<String> sources, String name) throws IOException {
        Map<String, List<PageTextReader.Page>> pages = wholePages(sources, name);
        Map<String, int[]> bySource = new java.util.TreeMap<>();
        pages.forEach((key, texts) -> {
            int segments = segmenter.startsOf(texts.stream().map(Segmenter::page).toList()).size();
            int[] c = bySource.computeIfAbsent(key.substring(0, key.indexOf(' ')), k -> new int[3]);
            c[0]++;
            c[1] += segments;
            c[2] += segments > 1 ? 1 : 0;
        });
        StringBuilder out = new StringBuilder();
        bySource.forEach((source, c) -> out.append(String.format("  %-30s %3d files -> %3d segments, %3d files cut%n",
                source, c[0], c[1], c[2])));
        return out.toString();
    }

    /**
     * Reads and writes the page-text caches; a cache written before a field was added fails rather than reads 0, one
     * with fields this version does not have (written by a branch) is read without them.
     */
    private static final ObjectMapper CACHE = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The page texts cached in {@code cache}, keyed by stream or file. */
    private static Map<String, List<PageTextReader.Page>> readPages(Path cache) throws IOException {
        try {
            return CACHE.readValue(cache.toFile(),
                    new TypeReference<LinkedHashMap<String, List<PageTextReader.Page>>>() {});
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            throw new IllegalStateException(cache + " was written by an older version (" + e.getOriginalMessage()
                    + "); delete " + FOLDER.toAbsolutePath() + " and run the fit again", e);
        }
    }

    /** The first pages of every PDF of {@code sources}, keyed by source and file name, cached as {@code name}. */
    static Map<String, List<PageTextReader.Page>> wholePages(Set<String> sources, String name) throws IOException {
        Path cache = FOLDER.resolve("whole-" + name + ".json");
        Map<String, List<PageTextReader.Page>> pages;
        if (Files.exists(cache)) {
            pages = readPages(cache);
        } else {
            PageTextReader reader = PageTextReader.of(ExtractionLimits.defaults());
            pages = new LinkedHashMap<>();
            for (List<PageStreams.Source> list : PageStreams.sources(sources).values()) {
                for (PageStreams.Source source : list) {
                    try {
                        List<PageTextReader.Page> read = reader.read(source.path()).pages();
                        pages.put(source.source() + " " + source.path().getFileName(),
                                read.subList(0, Math.min(WHOLE_PAGES, read.size())));
                    } catch (ExtractionException e) {
                        System.out.println("skipped " + source.path() + ": " + e.getMessage());
                    }
                }
            }
            Files.createDirectories(FOLDER);
            CACHE.writeValue(cache.toFile(), pages);
        }
        return pages;
    }

    /** The threshold best in-sample: the text threshold on the scanned streams (if any), the other on the rest. */
    private static BoundaryModel thresholds(BoundaryModel model, List<Streamed> tuning, List<Streamed> tuningScans) {
        if (tuningScans.isEmpty()) {
            return bestThreshold(model, tuning, (m, t) -> m.withThreshold(t).withTextThreshold(t));
        }
        return bestThreshold(bestThreshold(model, tuningScans, BoundaryModel::withTextThreshold), tuning,
                BoundaryModel::withThreshold);
    }

    private static List<Streamed> concat(List<Streamed> a, List<Streamed> b) {
        List<Streamed> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** {@link #wholePages} of {@code sources} (cached as {@code name}) as streams of one document each. */
    private static List<Streamed> wholeStreams(Set<String> sources, String name) throws IOException {
        Map<String, String> labels = new java.util.HashMap<>();
        PageStreams.sources(sources).values().forEach(list -> list.forEach(
                source -> labels.put(source.source() + " " + source.path().getFileName(), source.label())));
        List<Streamed> out = new ArrayList<>();
        wholePages(sources, name).forEach((key, pages) -> {
            Path file = Path.of(key.substring(key.indexOf(' ') + 1));
            PageStreams.Part part = new PageStreams.Part(1, pages.size(), labels.get(key),
                    key.substring(0, key.indexOf(' ')), file);
            out.add(new Streamed(new PageStreams.Stream(file, List.of(part), false), pages));
        });
        return out;
    }

    /**
     * The tuning sets: the streams the fit sees (a quarter of their documents long), the streams of short documents
     * the left-out sources are scored on (as the held-out streams are built), and the whole single-document files of
     * every tuning PDF source; with {@code -Dfit.renewShare=0.15} a share of the scored born-digital documents get
     * new subset tags on every page, as some producers make them.
     */
    record TuningSets(List<Streamed> tuning, List<Streamed> tuningScans, List<Streamed> shortStreams,
            List<Streamed> shortScans, List<Streamed> scoredTuning, List<Streamed> wholeFiles) {
        static TuningSets load() throws IOException {
            List<Streamed> tuning = streams(TUNING_NAME + "-born-digital", TUNING, TUNING_STREAMS, 18, false,
                    LONG_SHARE);
            List<Streamed> tuningScans = TUNING_SCANS == 0 ? List.of()
                    : streams(TUNING_NAME + "-scanned", TUNING, TUNING_SCANS, 28, true, SCAN_LONG_SHARE);
            List<Streamed> shortScans = TUNING_SCANS == 0 ? List.of()
                    : streams(TUNING_NAME + "-scanned", TUNING, CROSS_SCANS, 28, true);
            List<Streamed> wholeFiles = concat(wholeStreams(Set.of(PAPERS), "papers"),
                    wholeStreams(withoutPapers(), "tuning-files"));
            return new TuningSets(tuning, tuningScans,
                    renewed(streams(TUNING_NAME + "-born-digital", TUNING, TUNING_STREAMS, 18, false)), shortScans,
                    renewed(tuning), renewed(wholeFiles));
        }
    }

    /**
     * What the tuning sources say when each is left out of the fit in turn and scored on its own boundaries, pooled
     * over them: boundary counts (true, false, missed starts) at the thresholds each fit chose in-sample, on the
     * short-document streams and on those the fit sees; per threshold of {@link #THRESHOLDS}, on both kinds of stream
     * together; and the whole files cut.
     */
    record LeftOut(int[] born, int[] scanned, int[] bornLong, int[] scannedLong, int[][] bornAt, int[][] scannedAt,
            int wholeCut, int wholeFiles) {
        /** The threshold with the best F1 in {@code at} (per threshold), the lower one on a tie. */
        double bestThreshold(int[][] at) {
            int best = 0;
            for (int step = 1; step < at.length; step++) {
                if (f1(at[step]) > f1(at[best]) + 1e-9) {
                    best = step;
                }
            }
            return THRESHOLDS[best];
        }
    }

    /** Leaves each tuning source out of the fit in turn ({@link LeftOut}); prints each source's figures if asked. */
    static LeftOut leftOut(TuningSets sets, boolean print) {
        int[] born = new int[3];
        int[] scanned = new int[3];
        int[] bornLong = new int[3];
        int[] scannedLong = new int[3];
        int[][] bornAt = new int[THRESHOLDS.length][3];
        int[][] scannedAt = new int[THRESHOLDS.length][3];
        int wholeCut = 0;
        int wholeFiles = 0;
        List<Streamed> scoredScans = sets.tuningScans().subList(0, Math.min(CROSS_SCANS, sets.tuningScans().size()));
        for (String source : new java.util.TreeSet<>(TUNING)) {
            List<Streamed> train = without(sets.tuning(), source, true);
            List<Streamed> trainScans = without(sets.tuningScans(), source, true);
            Samples b = samples(train);
            Samples sc = samples(trainScans);
            BoundaryModel model = thresholds(BoundaryModel.fit(b.features(), b.starts(), sc.features(),
                    sc.starts(), SCAN_WEIGHT, 0.001, 3000, 0.5), train, trainScans);
            List<Streamed> bornWith = without(sets.shortStreams(), source, false);
            List<Streamed> scansWith = without(sets.shortScans(), source, false);
            List<Streamed> bornLongWith = without(sets.scoredTuning(), source, false);
            List<Streamed> scansLongWith = without(scoredScans, source, false);
            for (int step = 0; step < THRESHOLDS.length; step++) {
                Segmenter font = new Segmenter(model.withThreshold(THRESHOLDS[step]));
                Segmenter text = new Segmenter(model.withTextThreshold(THRESHOLDS[step]));
                add(bornAt[step], score(font, bornWith, null).bySource().get(source));
                add(bornAt[step], score(font, bornLongWith, null).bySource().get(source));
                add(scannedAt[step], score(text, scansWith, null).bySource().get(source));
                add(scannedAt[step], score(text, scansLongWith, null).bySource().get(source));
            }
            Segmenter segmenter = new Segmenter(model);
            int[] bornCounts = score(segmenter, bornWith, null).bySource().get(source);
            int[] scannedCounts = score(segmenter, scansWith, null).bySource().get(source);
            add(born, bornCounts);
            add(scanned, scannedCounts);
            add(bornLong, score(segmenter, bornLongWith, null).bySource().get(source));
            add(scannedLong, score(segmenter, scansLongWith, null).bySource().get(source));
            // Whole single-document files cut by a fit that has not seen their source (done-when 2).
            List<Streamed> files = without(sets.wholeFiles(), source, false);
            long cut = files.stream().filter(s -> segmenter.startsOf(s.evidence()).size() > 1).count();
            wholeCut += (int) cut;
            wholeFiles += files.size();
            if (print) {
                if (!files.isEmpty()) {
                    System.out.printf("  whole files cut by the fit without them: %d of %d%n", cut, files.size());
                }
                System.out.printf("  left out %-40s born-digital F1 %.3f %s, scanned F1 %.3f %s%n", source,
                        bornCounts == null ? Double.NaN : f1(bornCounts), java.util.Arrays.toString(bornCounts),
                        scannedCounts == null ? Double.NaN : f1(scannedCounts),
                        java.util.Arrays.toString(scannedCounts));
            }
        }
        return new LeftOut(born, scanned, bornLong, scannedLong, bornAt, scannedAt, wholeCut, wholeFiles);
    }

    /**
     * Chooses between designs on the tuning sources alone ({@link #leftOut}): for each tuning source, fits on the
     * streams without it and scores its own boundaries in the streams of short documents with it (born-digital and
     * scanned) and in the streams the fit sees (long documents included), and its whole single-document files.
     * Run with {@code -Dtest=PageBoundaryModelFit#crossSource}.
     */
    @Test
    void crossSource() throws IOException {
        LeftOut r = leftOut(TuningSets.load(), true);
        System.out.printf("cross-source: born-digital F1 %.4f (%d/%d/%d), scanned F1 %.4f (%d/%d/%d)%n", f1(r.born()),
                r.born()[0], r.born()[1], r.born()[2], f1(r.scanned()), r.scanned()[0], r.scanned()[1],
                r.scanned()[2]);
        System.out.printf("  with long documents: born-digital F1 %.4f %s, scanned F1 %.4f %s%n", f1(r.bornLong()),
                java.util.Arrays.toString(r.bornLong()), f1(r.scannedLong()), java.util.Arrays.toString(r.scannedLong()));
        System.out.printf("  whole files of the tuning PDF sources cut: %d of %d%n", r.wholeCut(), r.wholeFiles());
        for (int step = 0; step < THRESHOLDS.length; step++) {
            System.out.printf("  threshold %.2f, both kinds of stream: born-digital F1 %.4f %s, text threshold: scanned"
                    + " F1 %.4f %s%n", THRESHOLDS[step], f1(r.bornAt()[step]), java.util.Arrays.toString(r.bornAt()[step]),
                    f1(r.scannedAt()[step]), java.util.Arrays.toString(r.scannedAt()[step]));
        }
        System.out.printf("  best thresholds for the sources left out: %.2f, text %.2f%n", r.bestThreshold(r.bornAt()),
                r.bestThreshold(r.scannedAt()));
    }

    /** The share of scored born-digital documents whose subset tags are renewed page by page (-Dfit.renewShare). */
    static final double RENEW_SHARE = Double.parseDouble(System.getProperty("fit.renewShare", "0"));

    /** {@code streams} with a share {@link #RENEW_SHARE} of their documents set by a producer that subsets page by page. */
    static List<Streamed> renewed(List<Streamed> streams) {
        if (RENEW_SHARE == 0) {
            return streams;
        }
        List<Streamed> out = new ArrayList<>();
        int renewedParts = 0;
        for (Streamed s : streams) {
            List<PageTextReader.Page> pages = new ArrayList<>(s.pages());
            String file = s.stream().file().getFileName().toString();
            for (int p = 0; p < s.stream().parts().size(); p++) {
                PageStreams.Part part = s.stream().parts().get(p);
                if (Math.floorMod((file + "#" + p).hashCode() * 0x9E3779B1, 1000) >= RENEW_SHARE * 1000) {
                    continue;
                }
                renewedParts++;
                for (int page = part.first(); page <= part.last(); page++) {
                    PageTextReader.Page old = pages.get(page - 1);
                    Set<String> fonts = new HashSet<>();
                    for (String font : old.fonts()) {
                        fonts.add(PageBoundaries.isSubset(font) ? tag(file + page + font) + font.substring(6) : font);
                    }
                    pages.set(page - 1, new PageTextReader.Page(old.text(), fonts, old.width(), old.height(),
                            old.layout()));
                }
            }
            out.add(new Streamed(s.stream(), pages));
        }
        System.out.printf("  renewed the subset tags of %d documents page by page%n", renewedParts);
        return out;
    }

    private static String tag(String seed) {
        java.util.Random random = new java.util.Random(seed.hashCode());
        StringBuilder tag = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            tag.append((char) ('A' + random.nextInt(26)));
        }
        return tag.toString();
    }

    private static Set<String> withoutPapers() {
        Set<String> sources = new java.util.TreeSet<>(PageStreams.TUNING);
        sources.remove(PAPERS);
        return sources;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** The streams that hold no document of {@code source} ({@code without}) or those that do. */
    private static List<Streamed> without(List<Streamed> streams, String source, boolean without) {
        return streams.stream().filter(s -> s.stream().parts().stream().noneMatch(p -> p.source().equals(source))
                == without).toList();
    }

    private static void add(int[] to, int[] counts) {
        if (counts != null) {
            for (int i = 0; i < 3; i++) {
                to[i] += counts[i];
            }
        }
    }

    private static double f1(int[] c) {
        return 2.0 * c[0] / Math.max(1, 2 * c[0] + c[1] + c[2]);
    }

    /** The boundary features of streams with whether each boundary starts a document. */
    record Samples(List<double[]> features, boolean[] starts) {}

    /** Every boundary of {@code streams}, each read with the true document's first page, as the fit wants it. */
    static Samples samples(List<Streamed> streams) {
        List<double[]> samples = new ArrayList<>();
        List<Boolean> starts = new ArrayList<>();
        for (Streamed s : streams) {
            Set<Integer> truth = truthStarts(s.stream());
            int first = 0;
            for (int i = 1; i < s.pages().size(); i++) {
                double[] f = PageBoundaries.features(s.evidence(), i, first);
                DROPPED.forEach(at -> f[at] = 0);
                samples.add(f);
                boolean start = truth.contains(i + 1);
                starts.add(start);
                if (start) {
                    first = i;
                }
            }
        }
        boolean[] y = new boolean[starts.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = starts.get(i);
        }
        return new Samples(samples, y);
    }

    /** The thresholds a fit chooses from: 0.20, 0.25 ... 0.80. */
    private static final double[] THRESHOLDS = java.util.stream.IntStream.rangeClosed(0, 12)
            .mapToDouble(step -> 0.2 + 0.05 * step).toArray();

    /** The threshold of {@link #THRESHOLDS} with the best F1 on {@code streams}, set by {@code with}. */
    private static BoundaryModel bestThreshold(BoundaryModel model, List<Streamed> streams,
            java.util.function.BiFunction<BoundaryModel, Double, BoundaryModel> with) {
        double bestF1 = -1;
        BoundaryModel best = model;
        for (double threshold : THRESHOLDS) {
            BoundaryModel candidate = with.apply(model, threshold);
            double f1 = score(new Segmenter(candidate), streams, null).f1();
            if (f1 > bestF1 + 1e-9) {
                bestF1 = f1;
                best = candidate;
            }
        }
        return best;
    }

    /** A built stream with its bounded page texts. */
    record Streamed(PageStreams.Stream stream, List<PageTextReader.Page> pages, List<PageBoundaries.Page> evidence) {
        Streamed(PageStreams.Stream stream, List<PageTextReader.Page> pages) {
            this(stream, pages, pages.stream().map(Segmenter::page).toList());
        }
    }

    /** Boundary counts (pages after the first that start a document) and streams right end to end. */
    record Score(int streams, int truePositives, int falsePositives, int falseNegatives, int boundariesRight,
            int straightThrough, Map<String, int[]> bySource) {
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

        /** Per source: boundaries, precision, recall and F1 (a false start counts for the document it falls in). */
        String bySourceTable() {
            StringBuilder out = new StringBuilder();
            new java.util.TreeMap<>(bySource).forEach((source, c) -> {
                double p = c[0] / (double) Math.max(1, c[0] + c[1]);
                double r = c[0] / (double) Math.max(1, c[0] + c[2]);
                out.append(String.format("  %-30s boundaries %3d  precision %.3f  recall %.3f  F1 %.3f%n", source,
                        c[0] + c[2], p, r, 2 * p * r / Math.max(1e-9, p + r)));
            });
            return out.toString();
        }
    }

    /** Scores {@code segmenter} on {@code streams}; labels too when {@code classifier} is not null. */
    static Score score(Segmenter segmenter, List<Streamed> streams, Classifier classifier) {
        return score(segmenter, streams, classifier, false);
    }

    /** {@link #score}, printing every error with -Dfit.explain=true when {@code explain}. */
    static Score score(Segmenter segmenter, List<Streamed> streams, Classifier classifier, boolean explain) {
        Map<String, int[]> bySource = new LinkedHashMap<>();
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
                        count(bySource, s, page, 0);
                    } else {
                        fp++;
                        count(bySource, s, page, 1);
                        if (explain) {
                            explain("false start", s, page, segmenter);
                        }
                    }
                }
            }
            for (int page : truth) {
                if (page > 1 && !found.contains(page)) {
                    fn++;
                    count(bySource, s, page, 2);
                    if (explain) {
                        explain("missed start", s, page, segmenter);
                    }
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
        return new Score(streams.size(), tp, fp, fn, boundariesRight, straight, bySource);
    }

    private static void count(Map<String, int[]> bySource, Streamed s, int page, int which) {
        String source = s.stream().parts().stream().filter(p -> p.first() <= page && page <= p.last()).findFirst()
                .orElseThrow().source();
        bySource.computeIfAbsent(source, k -> new int[3])[which]++;
    }

    /** With -Dfit.explain=true, prints an error with the part it is in and the page's evidence. */
    private static void explain(String what, Streamed s, int page, Segmenter segmenter) {
        if (!Boolean.getBoolean("fit.explain")) {
            return;
        }
        PageStreams.Part part = s.stream().parts().stream().filter(p -> p.first() <= page && page <= p.last())
                .findFirst().orElseThrow();
        PageBoundaries.Page at = s.evidence().get(page - 1);
        // The document the page would continue: the part of the page before it (a missed start ends that part).
        int start = s.stream().parts().stream().filter(p -> p.first() <= page - 1 && page - 1 <= p.last()).findFirst()
                .orElseThrow().first() - 1;
        double[] f = segmenter.features(s.evidence(), page - 1, start);
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
        return streams(name, sources, count, seed, scanned, 0);
    }

    /** {@link #streams}, a share {@code longShare} of the documents cut long ({@link PageStreams#build}). */
    static List<Streamed> streams(String name, Set<String> sources, int count, long seed, boolean scanned,
            double longShare) throws IOException {
        Path folder = FOLDER.resolve(name + "-" + count + "-" + seed + (longShare > 0 ? "-long" + longShare : ""));
        List<PageStreams.Stream> streams = PageStreams.build(sources, count, seed, scanned, longShare, folder);
        Path cache = folder.resolve("pages.json");
        Map<String, List<PageTextReader.Page>> pages = Files.exists(cache) ? readPages(cache) : new LinkedHashMap<>();
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
            CACHE.writeValue(cache.toFile(), pages);
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
