package io.docclassify.poison;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.ParseContext;
import org.xml.sax.ContentHandler;

/**
 * A test-only Tika parser for three made-up media types (see {@code custom-mimetypes.xml} in the test
 * resources): one loops forever, one allocates until the heap is gone, one exits its JVM. Registered
 * through {@code META-INF/services} of the test classpath alone, so it never ships.
 */
public final class PoisonParser implements Parser {
    private static final long serialVersionUID = 1L;

    public static final MediaType LOOP = MediaType.application("x-docclassify-poison-loop");
    public static final MediaType OOM = MediaType.application("x-docclassify-poison-oom");
    public static final MediaType EXIT = MediaType.application("x-docclassify-poison-exit");

    /** The exit status of the exiting poison, to tell it apart from other deaths. */
    public static final int EXIT_STATUS = 71;

    /** Written so that the spinning loop has an effect the JIT cannot drop. */
    private static volatile long spins;

    @Override
    public Set<MediaType> getSupportedTypes(ParseContext context) {
        return Set.of(LOOP, OOM, EXIT);
    }

    @Override
    public void parse(InputStream stream, ContentHandler handler, Metadata metadata, ParseContext context) {
        MediaType type = MediaType.parse(metadata.get(Metadata.CONTENT_TYPE)).getBaseType();
        if (type.equals(LOOP)) {
            // Ignores interrupts and produces no text: only killing the process ends it.
            while (spins >= 0) {
                spins++;
            }
        } else if (type.equals(OOM)) {
            List<long[]> hoard = new ArrayList<>();
            while (true) {
                hoard.add(new long[1 << 17]);
            }
        } else if (type.equals(EXIT)) {
            System.exit(EXIT_STATUS);
        }
        throw new IllegalStateException("not a poison type: " + type);
    }

    /** The first bytes of a file of the poison {@code type}, which its magic matches. */
    public static String magic(MediaType type) {
        return "DOCCLASSIFY-POISON-" + type.getSubtype().substring("x-docclassify-poison-".length())
                .toUpperCase(java.util.Locale.ROOT) + "\n";
    }
}
