package io.docclassify.poison;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.tika.detect.Detector;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;

/**
 * A test-only Tika detector that gives files starting with {@link PoisonParser#magic} their poison media
 * type, and says nothing about any other file. Registered through {@code META-INF/services} of the
 * test classpath alone.
 */
public final class PoisonDetector implements Detector {
    private static final long serialVersionUID = 1L;

    @Override
    public MediaType detect(InputStream input, Metadata metadata) throws IOException {
        if (input == null) {
            return MediaType.OCTET_STREAM;
        }
        int length = 40;
        input.mark(length);
        byte[] head;
        try {
            head = input.readNBytes(length);
        } finally {
            input.reset();
        }
        String start = new String(head, StandardCharsets.ISO_8859_1);
        for (MediaType type : List.of(PoisonParser.LOOP, PoisonParser.OOM, PoisonParser.EXIT)) {
            if (start.startsWith(PoisonParser.magic(type))) {
                return type;
            }
        }
        return MediaType.OCTET_STREAM;
    }
}
