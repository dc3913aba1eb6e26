package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.pfmeter.exporter.config.ConfigKey;

/** The README carries the metrics reference and the configuration table as the code has them. */
class ReadmeTest {

    private static String readme() throws IOException {
        return Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    }

    @Test
    void everyMetricFamilyOfTheReferenceIsInTheReadme() throws IOException {
        String reference;
        try (InputStream in = ReadmeTest.class.getResourceAsStream("/docs-metrics.md")) {
            reference = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String readme = readme();
        long rows = reference.lines().filter(l -> l.startsWith("| `")).peek(l ->
                assertThat(readme).as("README row for %s", l.substring(0, Math.min(50, l.length()))).contains(l)).count();
        assertThat(rows).isGreaterThan(50);
    }

    @Test
    void theConfigurationTableIsTheCodes() throws IOException {
        String readme = readme();
        ConfigKey.markdownTable().lines().forEach(l -> assertThat(readme).as("README configuration row").contains(l));
    }
}
