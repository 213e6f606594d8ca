package io.docclassify;

/** The pipeline stage at which a document failed. */
public enum Stage {
    /** Finding, opening or hashing the file. */
    READ,
    /** Turning the file into text. */
    EXTRACT,
    /** Deciding the document's label. */
    CLASSIFY;

    /** The lower-case name used in result files, such as {@code extract}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@link #code()}; throws {@link IllegalArgumentException} naming the accepted values. */
    public static Stage fromCode(String code) {
        for (Stage stage : values()) {
            if (stage.code().equals(code)) {
                return stage;
            }
        }
        throw new IllegalArgumentException(
                "unknown stage '" + code + "'; expected one of read, extract, classify");
    }
}
