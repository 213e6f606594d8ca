package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.docclassify.ConfigurationException;
import io.docclassify.ExtractionLimits;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The table from the library's setting keys to the command line's flags. */
class SettingFlagsTest {

    @Test
    void everyFlagInTheTable_isAnOptionOfSomeCommand() {
        Set<String> options = new HashSet<>();
        for (CommandLine command : Main.commandLine().getSubcommands().values()) {
            command.getCommandSpec().options().forEach(option -> options.addAll(Set.of(option.names())));
        }
        assertThat(SettingFlags.FLAGS.values()).allSatisfy(flag -> assertThat(options).contains(flag.split(" ")[0]));
    }

    @Test
    void aLibraryMessage_isToldWithTheFlags_andAKeyInsideALongerKeyIsLeftAlone() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ExtractionLimits.defaults().withMaxChars(10));
        assertThat(SettingFlags.message(e)).isEqualTo("--max-chars (10) must be >= --text-budget (3000);"
                + " raise --max-chars or lower --text-budget");
        assertThat(SettingFlags.translate("open it with JsonLinesSink.Mode.RESUME, not JsonLinesSink.Mode"))
                .isEqualTo("open it with --resume, not JsonLinesSink.Mode");
        assertThat(SettingFlags.translate("ExtractionLimits.maxBytesX")).isEqualTo("ExtractionLimits.maxBytesX");
    }
}
