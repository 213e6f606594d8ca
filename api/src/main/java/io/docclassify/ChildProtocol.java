package io.docclassify;

import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The frames an extraction child and its parent exchange over the child's stdin and stdout.
 *
 * <p>Parent to child: a path ({@link DataOutputStream#writeUTF}) per document. Child to parent: one
 * {@link #READY} byte once started, then per document any number of {@link #PROGRESS} bytes and one
 * {@link #RESULT} or {@link #FAILURE} frame. Strings travel as their UTF-16 code units, so any string
 * (a title with unpaired surrogates included) arrives exactly as it left.
 */
final class ChildProtocol {

    static final int READY = 'H';
    static final int PROGRESS = 'P';
    static final int RESULT = 'R';
    static final int FAILURE = 'F';

    private ChildProtocol() {}

    /** The child's command-line arguments after the parent's pid: the limits that apply inside the child. */
    static List<String> limitsArguments(ExtractionLimits limits) {
        return List.of(Long.toString(limits.maxBytes()), Integer.toString(limits.textBudget()),
                Integer.toString(limits.maxChars()), Boolean.toString(limits.fullText()),
                Boolean.toString(limits.ocr()), limits.ocrLanguages());
    }

    /** The inverse of {@link #limitsArguments}; the time budgets are the parent's business and left at their defaults. */
    static ExtractionLimits limits(List<String> arguments) {
        if (arguments.size() != 6) {
            throw new IllegalArgumentException("expected 6 limit arguments, got " + arguments);
        }
        return new ExtractionLimits(Long.parseLong(arguments.get(0)), Integer.parseInt(arguments.get(1)),
                Integer.parseInt(arguments.get(2)), Boolean.parseBoolean(arguments.get(3)),
                ExtractionLimits.DEFAULT_TOTAL_TIMEOUT, ExtractionLimits.DEFAULT_NO_PROGRESS_TIMEOUT,
                Boolean.parseBoolean(arguments.get(4)), arguments.get(5));
    }

    static void writeResult(DataOutputStream out, ExtractedText text) throws IOException {
        out.writeByte(RESULT);
        writeString(out, text.text());
        writeString(out, text.title());
        writeString(out, text.mediaType());
        out.writeInt(text.pages() == null ? -1 : text.pages());
        out.writeInt(text.totalChars());
        out.writeBoolean(text.complete());
        out.writeInt(text.warnings());
        out.writeInt(text.ocrPages());
        out.writeLong(text.ocrMillis());
    }

    /** Reads a result frame whose type byte was already read. */
    static ExtractedText readResult(DataInputStream in) throws IOException {
        String text = readString(in);
        String title = readString(in);
        String mediaType = readString(in);
        int pages = in.readInt();
        return new ExtractedText(text, title, mediaType, pages < 0 ? null : pages, in.readInt(), in.readBoolean(),
                in.readInt(), in.readInt(), in.readLong());
    }

    static void writeFailure(DataOutputStream out, ExtractionException failure) throws IOException {
        out.writeByte(FAILURE);
        writeString(out, failure.reason());
        writeString(out, failure.mediaType());
        writeString(out, failure.getMessage());
    }

    /** Reads a failure frame whose type byte was already read. */
    static ExtractionException readFailure(DataInputStream in) throws IOException {
        String reason = readString(in);
        String mediaType = readString(in);
        String message = readString(in);
        return new ExtractionException(reason, mediaType, message, null);
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(value.length());
        out.writeChars(value);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = in.readChar();
        }
        return new String(chars);
    }
}
