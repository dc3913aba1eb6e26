package org.pfmeter.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code billing.drop-directory}: where the period-end drop writes, checked when the daemon starts. */
class DropDirectoryConfigTest {

    @TempDir
    Path tmp;

    private Config parse(String text) throws ConfigException {
        return ConfigLoader.parse("pfmeter.conf", text, Map.of(ConfigKey.DATA_DIR, tmp.resolve("data").toString()));
    }

    private Path bills() throws Exception {
        return Files.writeString(tmp.resolve("bills.conf"), "[bill acme]\ntype = volume\nlabel = web\n");
    }

    @Test
    void aDirectoryToCreateIsTakenAndNoneIsTheDefault() throws Exception {
        Path drop = tmp.resolve("drops/bills");
        assertThat(parse("billing.bills = " + bills() + "\nbilling.drop-directory = " + drop + "\n").accounting().dropDirectory())
                .contains(drop);
        assertThat(drop).doesNotExist();                                 // created when the first period is written
        assertThat(parse("billing.bills = " + bills() + "\n").accounting().dropDirectory()).isEmpty();
    }

    @Test
    void aFileWhereTheDirectoryGoesOrNoBillsAreRefusedWithTheLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("taken"), "x");
        assertThatThrownBy(() -> parse("billing.bills = " + bills() + "\nbilling.drop-directory = " + file + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pfmeter.conf:2: billing.drop-directory = '" + file + "'")
                .hasMessageContaining("exists and is not a directory");
        assertThatThrownBy(() -> parse("billing.drop-directory = " + tmp.resolve("d") + "\n"))
                .hasMessageContaining("pfmeter.conf:1: billing.drop-directory")
                .hasMessageContaining("set billing.bills too");
    }
}
