package org.pfmeter.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI reads --jdbc-password-file the way the daemon reads accounting.jdbc-password-file. */
class StoreOptionsTest {

    @TempDir
    Path dir;

    /** Options parsed by picocli as a command would, from {@code args}. */
    private static StoreOptions parse(String... args) {
        StoreOptions o = new StoreOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void thePasswordIsTheFirstLineOfTheFile() throws IOException {
        Path pw = Files.writeString(dir.resolve("db.password"), "s3cret \nnot part of it\n");
        Files.setPosixFilePermissions(pw, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        StoreOptions o = parse("--jdbc-url", "jdbc:postgresql://db.example/pfmeter", "--jdbc-user", "pfmeter",
                "--jdbc-password-file", pw.toString());
        assertThat(o.config().password()).isEqualTo("s3cret");
        assertThat(o.config().user()).isEqualTo("pfmeter");
    }

    @Test
    void anUnreadablePasswordFileIsAnErrorNamingTheOption() {
        StoreOptions o = parse("--jdbc-url", "jdbc:postgresql://db.example/pfmeter", "--jdbc-password-file",
                dir.resolve("absent").toString());
        assertThatThrownBy(o::config).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--jdbc-password-file").hasMessageContaining("absent");
    }
}
