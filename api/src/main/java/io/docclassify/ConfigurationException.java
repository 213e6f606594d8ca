package io.docclassify;

/**
 * A configuration mistake, found before any work starts; the message says what to change.
 *
 * <p>The message names settings as the library's API spells them, such as {@code ExtractionLimits.maxBytes}
 * or {@code LlmClassifier.model}; when one setting is at fault, {@link #setting()} and {@link #value()} say
 * which and what it was given, so that a front end (a command line, a configuration file) can tell its user
 * in its own words.
 */
public class ConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String setting;
    private final transient Object value;

    public ConfigurationException(String message) {
        this(null, null, message, null);
    }

    public ConfigurationException(String message, Throwable cause) {
        this(null, null, message, cause);
    }

    /** A mistake in one setting: its key (such as {@code ExtractionLimits.maxBytes}) and the value refused. */
    public ConfigurationException(String setting, Object value, String message) {
        this(setting, value, message, null);
    }

    public ConfigurationException(String setting, Object value, String message, Throwable cause) {
        super(message, cause);
        this.setting = setting;
        this.value = value;
    }

    /** The key of the setting at fault, such as {@code ExtractionLimits.maxBytes}, or {@code null}. */
    public String setting() {
        return setting;
    }

    /** The value the setting was given, or {@code null} (also when no single setting is at fault). */
    public Object value() {
        return value;
    }
}
