package org.pfmeter.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {

    @TempDir
    Path dir;

    private Path file(byte[] content) throws IOException {
        return Files.write(dir.resolve("password"), content);
    }

    @Test
    void theFirstLineWithoutItsLineEndOrSurroundingSpace() throws IOException {
        assertThat(PasswordFile.read(file("s3cret\n".getBytes(StandardCharsets.UTF_8)))).isEqualTo("s3cret");
        assertThat(PasswordFile.read(file("s3cret\r\nsecond line\n".getBytes(StandardCharsets.UTF_8)))).isEqualTo("s3cret");
        assertThat(PasswordFile.read(file("  pass word \t\nx".getBytes(StandardCharsets.UTF_8)))).isEqualTo("pass word");
        assertThat(PasswordFile.read(file("no line end".getBytes(StandardCharsets.UTF_8)))).isEqualTo("no line end");
        assertThat(PasswordFile.readChars(file("päss\n".getBytes(StandardCharsets.UTF_8)))).containsExactly('p', 'ä', 's', 's');
    }

    @Test
    void anEmptyFileIsAnEmptyPassword() throws IOException {
        assertThat(PasswordFile.read(file(new byte[0]))).isEmpty();
    }

    @Test
    void aMissingFileIsAnErrorNamingIt() {
        assertThatThrownBy(() -> PasswordFile.read(dir.resolve("absent"))).isInstanceOf(IOException.class)
                .hasMessageContaining("absent");
    }
}
