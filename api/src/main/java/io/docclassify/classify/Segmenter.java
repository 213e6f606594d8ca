package io.docclassify.classify;

import io.docclassify.Outcome;
import io.docclassify.Segment;
import io.docclassify.extract.PageTextReader;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a file's pages into the documents it holds and labels each one: the built-in {@linkplain BoundaryModel
 * page-boundary model} decides where documents start, and the run's classifier labels each part as a document.
 *
 * <p>Thread-safe. A file found to hold one document gets one segment with the label and confidence of the
 * whole file's classification, so splitting never changes the label of a single document.
 */
public final class Segmenter {

    private static final int REPEATS_FIRST_PAGE = PageBoundaries.FEATURES.indexOf("repeatsFirstPage");

    private final BoundaryModel model;

    Segmenter(BoundaryModel model) {
        this.model = model;
    }

    /** The segmenter with the model shipped in the jar. */
    public static Segmenter builtIn() {
        return new Segmenter(BoundaryModel.builtIn());
    }

    /** The 1-based pages that start a document, page 1 first, decided page by page from the start. */
    List<Integer> starts(List<PageTextReader.Page> pages) {
        return startsOf(pages.stream().map(Segmenter::page).toList());
    }

    /** The features of the boundary before page {@code index} (0-based) in the document from page {@code start}. */
    double[] features(List<PageBoundaries.Page> pages, int index, int start) {
        return PageBoundaries.features(pages, index, start);
    }

    /**
     * {@link #starts} of pages whose evidence is computed: a page starts a document when its probability reaches the
     * threshold, or when it repeats the document's first page (a second copy, which fonts and layout cannot tell).
     */
    List<Integer> startsOf(List<PageBoundaries.Page> pages) {
        List<Integer> starts = new ArrayList<>();
        if (pages.isEmpty()) {
            return starts;
        }
        starts.add(1);
        int start = 0;
        for (int i = 1; i < pages.size(); i++) {
            double[] f = features(pages, i, start);
            if (f[REPEATS_FIRST_PAGE] > 0 || model.probability(f) >= model.thresholdFor(f)) {
                starts.add(i + 1);
                start = i;
            }
        }
        return starts;
    }

    static PageBoundaries.Page page(PageTextReader.Page page) {
        return PageBoundaries.Page.of(page, page.text().isBlank() ? null : MiniLm.get().vector(page.text()));
    }

    /**
     * The documents in a file of {@code pages} pages whose bounded page texts are {@code pageTexts} (fewer
     * when the file has pages no text was read from: they join the last document).
     *
     * @param whole the file's own extraction and {@code plain} its classification, used as they are when the
     *     file holds one document
     * @param charsKept characters of a part given to the classifier, as a whole document's text budget
     */
    public List<Segment> segments(List<PageTextReader.Page> pageTexts, int pages, ExtractedText whole,
            Outcome.Classified plain, Classifier classifier, int charsKept) {
        List<Integer> starts = starts(pageTexts.subList(0, Math.min(pages, pageTexts.size())));
        if (starts.size() <= 1) {
            return List.of(new Segment(1, Math.max(1, pages), plain.label(), plain.confidence()));
        }
        List<Segment> segments = new ArrayList<>(starts.size());
        for (int s = 0; s < starts.size(); s++) {
            int first = starts.get(s);
            int last = s + 1 < starts.size() ? starts.get(s + 1) - 1 : pages;
            Outcome.Classified part = classifier.classify(partText(pageTexts, first, last, whole, charsKept));
            segments.add(new Segment(first, last, part.label(), part.confidence()));
        }
        return Segment.covering(segments, pages);
    }

    private static ExtractedText partText(List<PageTextReader.Page> pageTexts, int first, int last, ExtractedText whole,
            int charsKept) {
        StringBuilder text = new StringBuilder();
        int total = 0;
        for (int p = first; p <= Math.min(last, pageTexts.size()); p++) {
            String page = pageTexts.get(p - 1).text();
            total += page.length() + 2;
            if (text.length() < charsKept) {
                text.append(page, 0, Math.min(page.length(), charsKept - text.length())).append("\n\n");
            }
        }
        return new ExtractedText(text.toString().strip(), null, whole.mediaType(), last - first + 1, total,
                text.length() < charsKept, 0);
    }
}
