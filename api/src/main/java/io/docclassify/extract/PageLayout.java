package io.docclassify.extract;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pdfbox.text.TextPosition;

/**
 * Where a page's text sits and how large it is set: pages of one document keep their margins and type size, a
 * document from elsewhere brings its own. Read from the text layer's glyph positions, or from a scan's pixels.
 *
 * @param left the left edge of the text, a fraction of the page width
 * @param right the right edge of the text, a fraction of the page width
 * @param lineHeight the text's most common type size, in points (a scan's: the height of its text lines' ink)
 * @param top the top edge of the text, a fraction of the page height from the top
 * @param bottom the bottom edge of the text, a fraction of the page height from the top
 */
public record PageLayout(float left, float right, float lineHeight, float top, float bottom) {

    /** Grey levels below this are ink; a scanner's grain on white paper stays far above it. */
    private static final int INK = 128;
    /** Strips whose rows give the lines' height: narrow, so the lines of a page turned a little stay apart. */
    private static final int STRIPS = 5;

    /**
     * The layout of the glyphs {@code glyphs} on a page {@code width} by {@code height} points; {@code null} without
     * glyphs.
     */
    static PageLayout ofGlyphs(List<TextPosition> glyphs, float width, float height) {
        float left = Float.MAX_VALUE;
        float right = 0;
        float top = Float.MAX_VALUE;
        float bottom = 0;
        Map<Integer, Integer> sizes = new TreeMap<>();
        for (TextPosition glyph : glyphs) {
            if (glyph.getUnicode() == null || glyph.getUnicode().isBlank()) {
                continue;
            }
            left = Math.min(left, glyph.getXDirAdj());
            right = Math.max(right, glyph.getXDirAdj() + glyph.getWidthDirAdj());
            top = Math.min(top, glyph.getYDirAdj() - glyph.getHeightDir());
            bottom = Math.max(bottom, glyph.getYDirAdj());
            sizes.merge(Math.round(glyph.getFontSizeInPt() * 2), 1, Integer::sum);
        }
        if (sizes.isEmpty() || width <= 0 || height <= 0) {
            return null;
        }
        int common = sizes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        return new PageLayout(clamp(left / width), clamp(right / width), common / 2f, clamp(top / height),
                clamp(bottom / height));
    }

    /** The layout of a greyscale page image rendered at {@code dpi}; {@code null} for a page without ink. */
    public static PageLayout ofImage(BufferedImage image, int dpi) {
        Raster raster = image.getRaster();
        int width = image.getWidth();
        int height = image.getHeight();
        int[] columnInk = new int[width];
        int[] row = new int[width];
        List<Integer> runs = new ArrayList<>();
        int[] run = new int[STRIPS];
        int top = -1;
        int bottom = -1;
        for (int y = 0; y < height; y++) {
            raster.getSamples(0, y, width, 1, 0, row);
            boolean[] stripInk = new boolean[STRIPS];
            int rowInk = 0;
            for (int x = 0; x < width; x++) {
                if (row[x] < INK) {
                    rowInk++;
                    columnInk[x]++;
                    int strip = x * STRIPS / width;
                    int inStrip = x - strip * width / STRIPS;
                    if (inStrip < width / STRIPS / 3) {
                        stripInk[strip] = true;
                    }
                }
            }
            if (rowInk >= 3) {
                top = top < 0 ? y : top;
                bottom = y;
            }
            for (int s = 0; s < STRIPS; s++) {
                if (stripInk[s]) {
                    run[s]++;
                } else {
                    if (run[s] >= 3) {
                        runs.add(run[s]);
                    }
                    run[s] = 0;
                }
            }
        }
        int left = 0;
        while (left < width && columnInk[left] < 3) {
            left++;
        }
        int right = width - 1;
        while (right > left && columnInk[right] < 3) {
            right--;
        }
        if (left >= width || runs.isEmpty()) {
            return null;
        }
        runs.sort(null);
        float lineHeight = runs.get(runs.size() / 2) * 72f / dpi;
        return new PageLayout(left / (float) width, (right + 1) / (float) width, lineHeight, top / (float) height,
                (bottom + 1) / (float) height);
    }

    private static float clamp(float fraction) {
        return Math.max(0, Math.min(1, fraction));
    }
}
