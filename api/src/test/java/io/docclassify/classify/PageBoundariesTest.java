package io.docclassify.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.docclassify.extract.PageLayout;
import io.docclassify.extract.PageTextReader;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The font, layout and copy evidence of a page boundary. */
class PageBoundariesTest {

    private static final String BODY = "The parties agree that the services described in this section are delivered"
            + " monthly, and that every invoice is due within thirty days of its date.";

    @Test
    void fontsInDocument_countsTheSubsetsOfEveryEarlierPageOfTheDocument() {
        List<PageBoundaries.Page> pages = List.of(
                page(Set.of("AAAAAA+Times-Roman", "BBBBBB+Times-Bold"), null),
                page(Set.of("AAAAAA+Times-Roman"), null),
                page(Set.of("BBBBBB+Times-Bold", "AAAAAA+Times-Roman", "Helvetica"), null),
                page(Set.of("CCCCCC+Arial", "AAAAAA+Times-Roman"), null),
                page(Set.of("DDDDDD+Arial"), null));
        double[] third = PageBoundaries.features(pages, 2, 0);
        int inDocument = PageBoundaries.FEATURES.indexOf("fontsInDocument");
        int toPrevious = PageBoundaries.FEATURES.indexOf("fontsToPrevious");
        assertThat(third[inDocument]).as("both subsets are the document's; Helvetica is no subset").isEqualTo(1.0);
        assertThat(third[toPrevious]).isEqualTo(0.5);
        assertThat(PageBoundaries.features(pages, 3, 0)[inDocument]).isEqualTo(0.5);
        assertThat(PageBoundaries.features(pages, 4, 0)[inDocument]).isZero();
        assertThat(PageBoundaries.features(pages, 4, 3)[inDocument])
                .as("a document opened at page 4 has only that page's subsets").isZero();
    }

    @Test
    void fontsKnown_notWhereTheProducerRenewsTheSubsetTagsPageByPage() {
        int known = PageBoundaries.FEATURES.indexOf("fontsKnown");
        int inDocument = PageBoundaries.FEATURES.indexOf("fontsInDocument");
        List<PageBoundaries.Page> twoDocuments = List.of(
                page(Set.of("AAAAAA+Inter-Regular", "BBBBBB+Inter-Bold"), null),
                page(Set.of("AAAAAA+Inter-Regular"), null),
                page(Set.of("CCCCCC+Inter-Regular", "DDDDDD+Inter-Bold"), null),
                page(Set.of("CCCCCC+Inter-Regular"), null));
        double[] second = PageBoundaries.features(twoDocuments, 2, 0);
        assertThat(second[known]).as("new tags once: a second document of the same producer").isEqualTo(1);
        assertThat(second[inDocument]).isZero();
        List<PageBoundaries.Page> renewing = List.of(
                page(Set.of("AAAAAA+Inter-Regular", "BBBBBB+Inter-Bold"), null),
                page(Set.of("CCCCCC+Inter-Regular"), null),
                page(Set.of("DDDDDD+Inter-Regular", "EEEEEE+Inter-Bold"), null),
                page(Set.of("FFFFFF+Inter-Regular"), null),
                page(Set.of("GGGGGG+Arial"), null));
        for (int index = 1; index <= 3; index++) {
            assertThat(PageBoundaries.features(renewing, index, 0)[known]).as("page %d of a file subset page by page",
                    index + 1).isZero();
        }
        assertThat(PageBoundaries.features(renewing, 4, 0)[known]).as("other fonts, not renewed ones").isEqualTo(1);
    }

    @Test
    void layoutFeatures_weighMarginsAndTypeSize_onlyWhereBothPagesHaveALayout() {
        List<PageBoundaries.Page> pages = List.of(
                page(Set.of(), new PageLayout(0.10f, 0.90f, 10, 0.1f, 0.9f)),
                page(Set.of(), new PageLayout(0.10f, 0.90f, 10, 0.1f, 0.9f)),
                page(Set.of(), new PageLayout(0.20f, 0.85f, 12, 0.1f, 0.9f)),
                page(Set.of(), null));
        int margin = PageBoundaries.FEATURES.indexOf("marginChange");
        int size = PageBoundaries.FEATURES.indexOf("typeSizeChange");
        int known = PageBoundaries.FEATURES.indexOf("layoutKnown");
        double[] same = PageBoundaries.features(pages, 1, 0);
        assertThat(same[margin]).isZero();
        assertThat(same[size]).isZero();
        assertThat(same[known]).isEqualTo(1);
        double[] changed = PageBoundaries.features(pages, 2, 0);
        assertThat(changed[margin]).isCloseTo(0.15, within(1e-6));
        assertThat(changed[size]).isCloseTo(Math.log(13.0 / 11), within(1e-6));
        assertThat(PageBoundaries.features(pages, 3, 0)[known]).isZero();
    }

    @Test
    void repeatsFirstPage_onASecondCopy_notOnABoilerplateOrAnotherPage() {
        String title = "Quarterly Report\nAcme Holdings Ltd\nPrepared for the board";
        String letter = "Dear Ms Smith, " + BODY + " Our offices in Leeds, Bristol, Cardiff and Glasgow handle"
                + " deliveries, refunds, complaints, warranty claims, customs paperwork and freight bookings; please"
                + " write to Daniel Harper, our regional manager, quoting account number and postcode, before Friday"
                + " afternoon, enclosing receipts, photographs, signed statements and insurance certificates.";
        PageBoundaries.Page cover = text(title);
        PageBoundaries.Page body = text(BODY);
        PageBoundaries.Page first = text(letter);
        String copy = " Quarterly  report\nAcme Holdings Ltd\nPrepared for the board ";
        assertThat(PageBoundaries.repeats(cover, text(copy))).as("a short page repeated word for word").isTrue();
        assertThat(PageBoundaries.repeats(cover, text(title + " (continued)"))).as("a short page, other words")
                .isFalse();
        assertThat(PageBoundaries.repeats(first, text(letter.replace("Leeds", "Leds").replace("Cardiff", "Cardif"))))
                .as("a long page read again by OCR, a few words differ").isTrue();
        assertThat(PageBoundaries.repeats(first, body)).as("a later page sharing a paragraph").isFalse();
        assertThat(PageBoundaries.repeats(cover, cover)).as("the first page itself").isFalse();
        assertThat(PageBoundaries.features(List.of(cover, body, text(title)), 2, 0)
                [PageBoundaries.FEATURES.indexOf("repeatsFirstPage")]).isEqualTo(1);
        assertThat(PageBoundaries.repeats(text(""), text(""))).as("blank pages").isFalse();
    }

    private static PageBoundaries.Page text(String text) {
        return PageBoundaries.Page.of(new PageTextReader.Page(text, Set.of(), 612, 792, null), null);
    }

    private static PageBoundaries.Page page(Set<String> fonts, PageLayout layout) {
        return PageBoundaries.Page.of(new PageTextReader.Page(BODY, fonts, 612, 792, layout), null);
    }
}
